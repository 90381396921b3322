// Records and the four ways the console writes to them. Writes answer with AppendResultDto; a
// failed call (connection lost, bad request) is folded into the same shape so forms show one kind
// of error.
import type { AppendResultDto, ApiArgs, MandalaBridge, RecordDto } from '../../../shared/api';
import { describeError } from '../lib/errors';
import { createRemoteResource, type RemoteResource } from './remote-resource';

export interface RecordsStore extends RemoteResource<readonly RecordDto[]> {
  create(args: ApiArgs<'records.create'>): Promise<AppendResultDto>;
  setField(args: ApiArgs<'records.setField'>): Promise<AppendResultDto>;
  addNote(args: ApiArgs<'records.addNote'>): Promise<AppendResultDto>;
  attach(args: ApiArgs<'records.attach'>): Promise<AppendResultDto>;
}

export function createRecordsStore(bridge: MandalaBridge): RecordsStore {
  const resource = createRemoteResource<readonly RecordDto[]>({
    load: () => bridge.call('records.list', {}),
    subscribe: (onData) => bridge.subscribe('records', onData),
  });
  const write = async (send: () => Promise<AppendResultDto>): Promise<AppendResultDto> => {
    try {
      const result = await send();
      // The push follows, throttled; re-reading now makes the form's effect visible at once.
      if (result.ok) void resource.refresh();
      return result;
    } catch (error) {
      return { ok: false, ...describeError(error) };
    }
  };
  return {
    ...resource,
    create: (args) => write(() => bridge.call('records.create', args)),
    setField: (args) => write(() => bridge.call('records.setField', args)),
    addNote: (args) => write(() => bridge.call('records.addNote', args)),
    attach: (args) => write(() => bridge.call('records.attach', args)),
  };
}
