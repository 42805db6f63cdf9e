import type {Logger} from '../../host/log';
import type {ApplyContext} from '../apply';

/** What a change to a proposal needs: the apply's context (API, KV, who) and a logger. */
export interface WriteContext extends ApplyContext {
    log: Logger;
}
