// The offline basemap: Natural Earth countries (1:50m) from resources/basemap (see its README),
// converted from TopoJSON into the GeoJSON MapLibre draws; lakes (OpenStreetMap via geo-maps);
// towns (GeoNames, resources/basemap/places.json). Loaded on demand so the console's first paint
// does not wait for 1.6 MB of coastline and names.
import type { Feature, FeatureCollection, Geometry, GeometryCollection as GeoJsonCollection, MultiLineString, Point, Position } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

export interface Basemap {
  readonly land: FeatureCollection;
  /** Land borders between countries (each drawn once). */
  readonly borders: MultiLineString;
  /** Coastlines: arcs that belong to one country only. */
  readonly coast: MultiLineString;
  /** Lakes and big reservoirs, as water over the land. */
  readonly lakes: Geometry;
  /** Towns and cities, each with its name and rank (0 a national capital, then by size; see scripts/build-places.js). */
  readonly places: FeatureCollection<Point, { name: string; rank: number }>;
}

interface PlacesFile {
  readonly places: readonly (readonly [string, number, number, number])[];
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
  const [module, lakes, places] = await Promise.all([import('@resources/basemap/countries-50m.json'), import('@geo-maps/earth-lakes-10km/map.geo.json'), import('@resources/basemap/places.json')]);
  const topology = module.default as unknown as CountriesTopology;
  const countries = topology.objects.countries;
  const land = feature(topology, topology.objects.land);
  return {
    land: { ...land, features: land.features.map((f): Feature => ({ ...f, geometry: continuousGeometry(f.geometry) })) },
    borders: continuousGeometry(mesh(topology, countries, (a, b) => a !== b)) as MultiLineString,
    coast: continuousGeometry(mesh(topology, countries, (a, b) => a === b)) as MultiLineString,
    lakes: lakes.default as unknown as GeoJsonCollection,
    places: {
      type: 'FeatureCollection',
      features: (places.default as unknown as PlacesFile).places.map(([name, lon, lat, rank]) => ({ type: 'Feature', properties: { name, rank }, geometry: { type: 'Point', coordinates: [lon, lat] } })),
    },
  };
}
