// Which truck the dispatcher picked, and whether the map keeps it in view as it moves.

export interface TruckSelection {
  readonly truck: string | null;
  /** The map pans to the truck on every new fix; a drag by the user turns this off. */
  readonly following: boolean;
}

export const NO_SELECTION: TruckSelection = { truck: null, following: false };

/** Picking a truck selects and follows it; picking it again lets it go. */
export function toggleTruck(selection: TruckSelection, truck: string): TruckSelection {
  return selection.truck === truck ? NO_SELECTION : { truck, following: true };
}

/** Where the map was looking, kept across view switches so returning to it is not disorienting. */
export interface MapCamera {
  readonly center: readonly [number, number];
  readonly zoom: number;
}
