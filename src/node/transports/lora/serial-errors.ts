// What went wrong with a serial port, in words a person can act on. serialport reports errors as
// strings from the OS; these are the ones people actually hit with USB radios.
import { MandalaError } from '../../errors';

export function serialOpenError(path: string, e: unknown): MandalaError {
  const msg = (e as Error)?.message ?? String(e);
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  if (/Cannot lock port|Resource temporarily unavailable|EBUSY|busy/i.test(msg) || code === 'EBUSY') {
    return new MandalaError('serial_busy', `serial port ${path} is busy (another program holds it: another Mandala, a serial console, or ModemManager); close it and Mandala will retry`);
  }
  if (/Permission denied|EACCES/i.test(msg) || code === 'EACCES') {
    return new MandalaError(
      'serial_permission',
      `no permission to open ${path}: add your user to the dialout group (sudo usermod -aG dialout $USER; on Arch the group is uucp), then log out and back in`,
    );
  }
  if (/No such file|ENOENT|cannot open/i.test(msg) || code === 'ENOENT') {
    return new MandalaError('serial_missing', `no device at ${path}: plug the radio in (Mandala keeps looking), or list candidates with \`mandala ports\``);
  }
  return new MandalaError('serial_error', `cannot use serial port ${path}: ${msg}`);
}
