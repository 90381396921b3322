// What the renderer may know about the preload: the shape of window.mandalaIpc, never its code.
import type { MandalaIpc } from '../shared/api';

declare global {
  interface Window {
    /** Present in the Electron app; absent in a browser, where the console uses a WebSocket. */
    readonly mandalaIpc?: MandalaIpc;
  }
}

export {};
