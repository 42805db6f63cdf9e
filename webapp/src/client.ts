// The one client for the plugin's HTTP routes (contract/routes.ts). Every request goes through
// Client4.getOptions (X-Requested-With, the CSRF header from the MMCSRF cookie on writes,
// credentials: include), every answer is parsed as JSON and validated with the contract's schemas.
import {Client4} from 'mattermost-redux/client';
import type {GlobalState} from '@mattermost/types/store';
import {z} from 'zod';

import {manifest} from 'contract/manifest';
import {Routes} from 'contract/routes';
import {StatusSchema, type Status} from 'contract/status';

/** Ids of failures that happen in the browser rather than on the server. */
export const ClientErrorIds = {
    network: 'cockpit.client.network',
    badResponse: 'cockpit.client.bad_response',
    http: 'cockpit.client.http',
} as const;

/** A failed plugin request. `status` is 0 when no HTTP answer arrived. */
export class ClientError extends Error {
    readonly status: number;
    readonly id: string;
    readonly url: string;

    constructor(status: number, id: string, message: string, url: string) {
        super(message);
        this.name = 'ClientError';
        this.status = status;
        this.id = id;
        this.url = url;
    }
}

// {error: {id, message}} from plugin routes; {id, message} from Mattermost's own AppError answers.
const PluginErrorBodySchema = z.object({error: z.object({id: z.string(), message: z.string()})});
const AppErrorBodySchema = z.object({id: z.string(), message: z.string()});

/**
 * `<SiteURL path>/plugins/<id>`: only the path of the site URL, so requests stay same-origin and a
 * subpath install (`https://host/chat`) gives `/chat/plugins/<id>`.
 */
export function pluginBasePath(siteURL: string | undefined): string {
    let path = '';
    if (siteURL) {
        try {
            path = new URL(siteURL).pathname;
        } catch {
            path = siteURL.startsWith('/') ? siteURL : '';
        }
    }
    return `${path.replace(/\/+$/, '')}/plugins/${manifest.id}`;
}

/**
 * getConfig(state).SiteURL. Read directly rather than through mattermost-redux's selector module,
 * which would pull its constants and helpers (~30 KB) into the bundle for a one-line accessor.
 */
export function siteURLFrom(state: unknown): string | undefined {
    const config = (state as Partial<GlobalState> | undefined)?.entities?.general?.config;
    return typeof config?.SiteURL === 'string' ? config.SiteURL : undefined;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class Client {
    /** `basePath` is read on every request, so a site URL change in the config is picked up. */
    constructor(private readonly basePath: () => string) {}

    getStatus(): Promise<Status> {
        return this.request('GET', Routes.status, StatusSchema);
    }

    async request<S extends z.ZodType>(method: Method, route: string, schema: S, body?: unknown): Promise<z.output<S>> {
        const url = this.basePath() + route;
        const options = Client4.getOptions({
            method,
            body: body === undefined ? undefined : JSON.stringify(body),
        });

        let response: Response;
        let text: string;
        try {
            response = await fetch(url, options);
            text = await response.text();
        } catch (err) {
            throw new ClientError(0, ClientErrorIds.network, errorMessage(err), url);
        }

        let json: unknown;
        let parsed = false;
        if (text) {
            try {
                json = JSON.parse(text);
                parsed = true;
            } catch {
                // handled below: not JSON
            }
        }

        if (!response.ok) {
            throw httpError(response, parsed ? json : undefined, url);
        }
        if (!parsed) {
            throw new ClientError(response.status, ClientErrorIds.badResponse, 'The server answer is not JSON.', url);
        }
        const result = schema.safeParse(json);
        if (!result.success) {
            throw new ClientError(response.status, ClientErrorIds.badResponse,
                `The server answer has an unexpected shape: ${z.prettifyError(result.error)}`, url);
        }
        return result.data;
    }
}

function httpError(response: Response, json: unknown, url: string): ClientError {
    const plugin = PluginErrorBodySchema.safeParse(json);
    if (plugin.success) {
        return new ClientError(response.status, plugin.data.error.id, plugin.data.error.message, url);
    }
    const app = AppErrorBodySchema.safeParse(json);
    if (app.success) {
        return new ClientError(response.status, app.data.id, app.data.message, url);
    }
    const reason = response.statusText ? ` ${response.statusText}` : '';
    return new ClientError(response.status, ClientErrorIds.http, `HTTP ${response.status}${reason}`, url);
}

/** Serializable form of a failed request, as kept in redux state. */
export interface RequestError {
    status: number;
    id: string;
    message: string;
}

export function toRequestError(err: unknown): RequestError {
    if (err instanceof ClientError) {
        return {status: err.status, id: err.id, message: err.message};
    }
    return {status: 0, id: ClientErrorIds.network, message: errorMessage(err)};
}

function errorMessage(err: unknown): string {
    return err instanceof Error && err.message ? err.message : String(err);
}

/** A client whose base path follows the store's config (getConfig(state).SiteURL). */
export function clientFor(getState: () => unknown): Client {
    return new Client(() => pluginBasePath(siteURLFrom(getState())));
}
