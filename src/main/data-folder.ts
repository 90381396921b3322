// File → Choose data folder…: the user picks the folder the node keeps its log in (a bigger disk,
// a USB drive carried between camps). The node moves to it at a restart; the old folder is left as
// it is, so nothing is lost and going back is the same menu.
import { app, dialog, type BrowserWindow } from 'electron';
import { resolve } from 'node:path';

export interface DataFolderChoice {
  /** The folder the node runs on now. */
  readonly current: string;
  /** MANDALA_DATA is set: it wins over any choice made here. */
  readonly fromEnv: boolean;
  /** Remembers the folder for the next start. */
  readonly choose: (dir: string) => void;
}

export async function chooseDataFolder(win: BrowserWindow, opts: DataFolderChoice): Promise<void> {
  const picked = await dialog.showOpenDialog(win, {
    title: 'Choose the data folder',
    message: 'The folder this node keeps its event log, keys and settings in',
    defaultPath: opts.current,
    properties: ['openDirectory', 'createDirectory'],
  });
  const dir = picked.canceled ? undefined : picked.filePaths[0];
  if (!dir || resolve(dir) === resolve(opts.current)) return;
  opts.choose(resolve(dir));
  const detail = opts.fromEnv
    ? `MANDALA_DATA is set to ${opts.current}, and it wins: unset it to use ${dir}.`
    : `Mandala restarts on ${dir} (a new node is created there if it holds none). ${opts.current} is left as it is.`;
  const { response } = await dialog.showMessageBox(win, { type: 'question', message: 'Restart on the new data folder?', detail, buttons: ['Restart now', 'Later'], defaultId: 0, cancelId: 1 });
  if (response === 0 && !opts.fromEnv) {
    app.relaunch();
    app.quit();
  }
}
