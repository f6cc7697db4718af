"use client";

import { useId, useState, type DragEvent } from "react";

import { cn } from "@/components/ui/cn";

/**
 * A file input inside a drop area. Written by hand: one file, one drop handler; a dropzone
 * library would bring more configuration than this code.
 */
export function RegistryFilePicker({ fileName, onFile }: { fileName?: string; onFile: (file: File) => void }) {
  const inputId = useId();
  const [dragging, setDragging] = useState(false);

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  }

  return (
    <div
      data-testid="registry-drop-area"
      onDragOver={(event) => {
        // Without preventDefault the browser opens the dropped file instead of handing it to us.
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className={cn(
        "flex flex-col items-center gap-2 rounded-lg border-2 border-dashed px-4 py-6 text-center text-sm",
        dragging ? "border-blue-500 bg-blue-50" : "border-slate-300 bg-slate-50",
      )}
    >
      <p className="text-slate-700">Drop a .csv or .json export here, or</p>
      {/* The native input stays for keyboards, screen readers and test drivers; its own "No file
          chosen" would contradict the file chosen by dropping (or after the input is reset). */}
      <input
        id={inputId}
        type="file"
        accept=".csv,.json,text/csv,application/json"
        data-testid="registry-file-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) onFile(file);
          // Choosing the same file again after fixing it must fire onChange again.
          event.currentTarget.value = "";
        }}
        className="peer sr-only"
      />
      <label
        htmlFor={inputId}
        className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 peer-focus-visible:ring-2 peer-focus-visible:ring-blue-600 hover:bg-slate-100"
      >
        <span className="sr-only">Registry file: </span>
        {fileName ? "Choose another file" : "Choose a file"}
      </label>
      <p className="text-slate-600" data-testid="registry-file-name">
        {fileName ? (
          <>
            Selected: <span className="font-medium text-slate-900">{fileName}</span>
          </>
        ) : (
          "No file chosen yet."
        )}
      </p>
    </div>
  );
}
