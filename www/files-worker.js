// The files worker: loads its own wasm (files_worker.js, which Trunk writes) and starts it.
// Kept apart from that file so the page starts the worker from one fixed name.
import init from "./files_worker.js";

init();
