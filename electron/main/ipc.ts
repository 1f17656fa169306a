/** Wires every contract channel to the core's dispatcher, refusing any sender but the app's own main frame. */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS } from '../../shared/ipc/contract';
import { fail } from '../../shared/ipc/result';
import type { Workstation } from '../core/workstation';
import { EVENT_CHANNEL } from '../../shared/ipc/events';

export function registerIpc(ws: Workstation, window: BrowserWindow): () => void {
  const connectionId = `window-${window.webContents.id}`;
  const isOwnMainFrame = (event: IpcMainInvokeEvent): boolean =>
    event.sender === window.webContents &&
    event.senderFrame !== null &&
    event.senderFrame === window.webContents.mainFrame;

  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isOwnMainFrame(event)) {
        return fail('FORBIDDEN_SENDER', 'Request refused: it did not come from the workstation window.');
      }
      return ws.dispatch(connectionId, channel, input);
    });
  }
  const unsubscribe = ws.onEvent((target, event, payload) => {
    if (target === connectionId && !window.isDestroyed()) {
      window.webContents.send(EVENT_CHANNEL, { event, payload });
    }
  });
  return () => {
    unsubscribe();
    ws.disconnect(connectionId);
    for (const channel of CHANNELS) {
      ipcMain.removeHandler(channel);
    }
  };
}
