// Demo routes: waypoints along real trunk roads of northern and eastern Kenya (towns on the A1,
// A2, A3, A104 and the Isiolo-Wajir road), approximate to a few hundred metres. Demo data only.

export interface DemoRoute {
  readonly name: string;
  /** [lat, lon] waypoints in order. */
  readonly points: readonly (readonly [number, number])[];
}

export const DEMO_ROUTES: readonly DemoRoute[] = [
  {
    name: 'A2 Nairobi-Moyale',
    points: [
      [-1.2864, 36.8172], [-1.0388, 37.0834], [-0.6667, 37.2], [-0.4833, 37.1333], [-0.1667, 37.0167], [0.0074, 37.0722],
      [0.3546, 37.5822], [0.64, 37.66], [1.05, 37.75], [1.6, 37.81], [1.95, 37.9], [2.3284, 37.9899], [2.87, 38.1], [3.32, 38.36], [3.53, 39.05],
    ],
  },
  {
    name: 'A1 Eldoret-Lokichogio',
    points: [[0.5143, 35.2698], [0.8744, 35.1222], [1.0157, 35.0062], [1.2389, 35.1119], [1.5333, 35.45], [2.3833, 35.65], [3.1191, 35.5973], [3.7167, 34.8667], [4.2, 34.35]],
  },
  {
    name: 'A3 Nairobi-Dadaab',
    points: [[-1.2864, 36.8172], [-1.0388, 37.0834], [-1.15, 37.53], [-0.9333, 38.0667], [-0.5833, 38.9167], [-0.4532, 39.6461], [0.0667, 40.3167]],
  },
  {
    name: 'A104 Nairobi-Eldoret',
    points: [[-1.2864, 36.8172], [-1.1, 36.642], [-0.7167, 36.4333], [-0.5, 36.3167], [-0.3031, 36.08], [0.0667, 35.5333], [0.5143, 35.2698]],
  },
  {
    name: 'Isiolo-Wajir',
    points: [[0.3546, 37.5822], [0.5333, 38.5167], [0.744, 39.1764], [1.01, 39.49], [1.75, 40.06]],
  },
];
