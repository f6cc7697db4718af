"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

import { Button } from "@/components/ui/button";

/**
 * "Are you sure?" before a change that is hard to take back: says what will happen, then Confirm
 * or Cancel. A native modal <dialog> like the portal's others (focus stays inside, Escape
 * cancels, focus returns to the button that opened it). While the change is on its way it stays open.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  tone = "primary",
  pending = false,
  onConfirm,
  onCancel,
}: {
  title: string;
  /** What will happen, in words. */
  children: ReactNode;
  confirmLabel: string;
  tone?: "primary" | "danger";
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      data-testid="confirm-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
      className="m-auto w-[min(28rem,calc(100vw-1rem))] rounded-xl border border-slate-200 bg-white p-0 text-left whitespace-normal text-slate-800 shadow-xl backdrop:bg-slate-900/50 dark:backdrop:bg-black/60"
    >
      <div className="space-y-3 p-4 sm:p-5">
        <h2 id={titleId} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        <div id={descriptionId} className="space-y-2 text-sm text-slate-700">
          {children}
        </div>
        <div className="flex flex-wrap justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={onCancel} disabled={pending} autoFocus>
            Cancel
          </Button>
          <Button variant={tone} onClick={onConfirm} pending={pending} data-testid="confirm-dialog-confirm">
            {confirmLabel}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
