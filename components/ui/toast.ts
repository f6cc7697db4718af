import type { ExternalToast } from "sonner";

// sonner is loaded with the toaster (components/layout/deferred-toaster.tsx), not with the pages
// that raise toasts: the first toast fetches it if the idle toaster has not yet.
const loadSonner = () => import("sonner");

/** sonner's `toast.success` / `toast.error`, without sonner in the caller's first-load JS. */
export const toast = {
  success(message: string, options?: ExternalToast): void {
    void loadSonner().then((sonner) => sonner.toast.success(message, options));
  },
  error(message: string, options?: ExternalToast): void {
    void loadSonner().then((sonner) => sonner.toast.error(message, options));
  },
};
