// Kernel benchmark entry point (filled in by the kernel work).
export {};
