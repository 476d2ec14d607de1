// Picking images: type and size checks before anything is uploaded, and
// files from drag-and-drop or the clipboard.

export const MAX_IMAGE_BYTES = 25 * 1024 * 1024;
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/** A sentence saying why file can't be sent, or "" when it can. */
export function checkImage(file) {
  if (!IMAGE_TYPES.includes(file.type)) {
    return `“${file.name || "The pasted file"}” is not a PNG, JPEG, GIF or WebP picture.`;
  }
  if (file.size > MAX_IMAGE_BYTES) {
    return `“${file.name || "The pasted picture"}” is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 25 MB per picture.`;
  }
  if (file.size === 0) return `“${file.name || "The pasted picture"}” is empty.`;
  return "";
}

/** Files in a DataTransfer (drop or paste). */
export function filesOf(transfer) {
  if (!transfer) return [];
  const files = [...(transfer.files ?? [])];
  if (files.length) return files;
  return [...(transfer.items ?? [])].filter((i) => i.kind === "file").map((i) => i.getAsFile()).filter(Boolean);
}

/** Calls onFiles(files) for files dropped on target, highlighting it while dragging. */
export function acceptDrops(target, onFiles) {
  let depth = 0;
  target.addEventListener("dragenter", (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes("Files")) return;
    e.preventDefault();
    depth++;
    target.classList.add("drop-target");
  });
  target.addEventListener("dragover", (e) => {
    if ([...(e.dataTransfer?.types ?? [])].includes("Files")) e.preventDefault();
  });
  target.addEventListener("dragleave", () => {
    if (--depth <= 0) {
      depth = 0;
      target.classList.remove("drop-target");
    }
  });
  target.addEventListener("drop", (e) => {
    depth = 0;
    target.classList.remove("drop-target");
    const files = filesOf(e.dataTransfer);
    if (!files.length) return;
    e.preventDefault();
    onFiles(files);
  });
}
