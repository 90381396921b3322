// The console API's types for the radio picker: the serial ports a radio might be on (listed
// live), the radio attached now and how it is doing (api.ts re-exports them).

export interface SerialPortDto {
  readonly path: string;
  /** A stable name when the OS gives one (/dev/serial/by-id/...). */
  readonly stableName: string | null;
  readonly description: string;
}

/** How a radio is set up: what `serve --lora` takes as flags. */
export interface RadioSetupDto {
  readonly path: string;
  readonly frequencyHz: number;
  readonly bandwidthHz: number;
  readonly sf: number;
  readonly cr: number;
  readonly txPowerDbm: number;
  readonly dutyCyclePct: number;
  /** This node's new positions are held this long, so one signed run carries them all (0: at once). */
  readonly freshnessS: number;
}

export interface AttachedRadioDto extends RadioSetupDto {
  /** The radio answered and is configured (false while it boots, is unplugged or fails). */
  readonly online: boolean;
  /** The firmware version it reported, once online. */
  readonly firmware: string | null;
  /** The last thing that went wrong, in words (cleared when it comes online). */
  readonly problem: string | null;
  readonly attachedAtMs: number;
}

export interface RadioStatusDto {
  /** Serial ports found now; the attached radio's port is among them while it is plugged in. */
  readonly ports: readonly SerialPortDto[];
  readonly attached: AttachedRadioDto | null;
  /** The settings a new radio starts from (EU868 g1), without a port. */
  readonly defaults: Omit<RadioSetupDto, 'path'>;
}
