// The offline basemap: Natural Earth countries (1:50m) from resources/basemap (see its README),
// converted from TopoJSON into the GeoJSON MapLibre draws. Loaded on demand so the console's
// first paint does not wait for 750 kB of coastline.
import type { Feature, FeatureCollection, Geometry, MultiLineString, Position } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

export interface Basemap {
  readonly land: FeatureCollection;
  /** Land borders between countries (each drawn once). */
  readonly borders: MultiLineString;
  /** Coastlines: arcs that belong to one country only. */
  readonly coast: MultiLineString;
}

type CountriesTopology = Topology<{ countries: GeometryCollection; land: GeometryCollection }>;

/**
 * TopoJSON stitches shapes across the antimeridian (Russia, Fiji), so consecutive points can jump
 * from +179.9° to −179.9°; MapLibre would draw that jump as a band around the whole world. Keeping
 * longitudes continuous (values past ±180 are fine: MapLibre draws them on the next world copy)
 * removes the bands.
 */
function continuous(line: Position[]): Position[] {
  let shift = 0;
  return line.map((point, i) => {
    const lon = point[0]! + shift;
    if (i > 0) {
      const previous = line[i - 1]![0]! + shift;
      if (lon - previous > 180) shift -= 360;
      else if (lon - previous < -180) shift += 360;
    }
    return [point[0]! + shift, point[1]!];
  });
}

function continuousGeometry(geometry: Geometry): Geometry {
  switch (geometry.type) {
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map(continuous) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(continuous)) };
    case 'MultiLineString':
      return { ...geometry, coordinates: geometry.coordinates.map(continuous) };
    default:
      return geometry;
  }
}

export async function loadBasemap(): Promise<Basemap> {
  const module = await import('@resources/basemap/countries-50m.json');
  const topology = module.default as unknown as CountriesTopology;
  const countries = topology.objects.countries;
  const land = feature(topology, topology.objects.land);
  return {
    land: { ...land, features: land.features.map((f): Feature => ({ ...f, geometry: continuousGeometry(f.geometry) })) },
    borders: continuousGeometry(mesh(topology, countries, (a, b) => a !== b)) as MultiLineString,
    coast: continuousGeometry(mesh(topology, countries, (a, b) => a === b)) as MultiLineString,
  };
}
