import type {KvApi} from '../mattermost/api';

/** Every key and its stored text: compare two dumps to prove a request wrote nothing. */
export function kvDump(kv: KvApi): Record<string, string | null> {
    return Object.fromEntries(kv.listKeys(0, 100_000).map((key) => [key, kv.get(key)]));
}
