// The one client for the plugin's HTTP endpoints (contract/endpoints/): each method calls one
// endpoint through `call`, which builds the URL from the declared path pattern, sends the declared body
// and validates the answer with the declared schema. Every request goes through Client4.getOptions
// (X-Requested-With, the CSRF header from the MMCSRF cookie on writes, credentials: include).
import {z} from 'zod';

import type {GlobalState} from '@mattermost/types/store';

import {Client4} from 'mattermost-redux/client';

import type {AdoptionExportSeries, AdoptionResponse, AdoptionTargetInput, TargetsResponse} from 'contract/adoption';
import type {
    ApplyBrandingResponse,
    BrandingHistoryPage,
    BrandingState,
    BrandingValues,
    ImageChange,
    PresetKind,
    RollbackBrandingResponse,
    StoredBrandImage,
} from 'contract/branding';
import type {BundleApply, BundlePart, BundlePreview} from 'contract/bundle';
import {
    AdoptionEndpoints,
    AuditEndpoints,
    BrandingEndpoints,
    BundleEndpoints,
    ConfigSnapshotEndpoints,
    isFileAnswer,
    PlanEndpoints,
    ReadinessEndpoints,
    PrivacyEndpoints,
    StakeholderEndpoints,
    StatusEndpoints,
    TemplateEndpoints,
    WaveEndpoints,
    type AnswerOf,
    type AnyEndpoint,
    type BodyInputOf,
    type Method,
    type ParamNames,
    type PathParams,
} from 'contract/endpoints';
import {manifest} from 'contract/manifest';
import type {Phase, Task} from 'contract/plan';
import {
    type AuditPage,
    type FieldConflict,
    FieldConflictSchema,
    type ImportPreview,
    type MyTasksResponse,
    type PlanResponse,
    type SettingDifference,
    type TaskChanges,
} from 'contract/plan_api';
import type {EraseRequest, PersonLookup, PrivacySettings, PrivacyState, EraseResponse} from 'contract/privacy';
import type {ReadinessReport} from 'contract/readiness';
import type {
    SaveStakeholderAccessRequest,
    StakeholderAccessResponse,
    StakeholderPageAccess,
    StakeholderStatus,
} from 'contract/stakeholders';
import type {Status} from 'contract/status';
import type {
    AssignDelegatedRolesRequest, CreateProposalRequest, CreateTemplateRequest, CredentialStatus,
    DecideRequest, DelegationState, MyReviewTeams, ProposalDetail, ProposalList,
    TeamInbox, TeamReview, Template, TemplateDefinition, TemplateList,
} from 'contract/templates';
import type {CsvRow, InvitationPreviewRequest, Outcome, WaveDefinition, WelcomePreviewRequest} from 'contract/waves';

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

    /** A plan task's field someone else changed (409 cockpit.plan.field_conflict): what they saved. */
    readonly conflict?: FieldConflict;

    /** The refused field of a 400 cockpit.request.invalid, as the server names it (`tags.1`). */
    readonly field?: string;

    constructor(status: number, id: string, message: string, url: string, details: {conflict?: FieldConflict; field?: string} = {}) {
        super(message);
        this.name = 'ClientError';
        this.status = status;
        this.id = id;
        this.url = url;
        this.conflict = details.conflict;
        this.field = details.field;
    }
}

// {error: {id, message}} from plugin routes; {id, message} from Mattermost's own AppError answers.
const PluginErrorBodySchema = z.object({
    error: z.object({id: z.string(), message: z.string(), conflict: FieldConflictSchema.optional(), field: z.string().optional()}),
});
const AppErrorBodySchema = z.object({id: z.string(), message: z.string()});

/**
 * `<SiteURL path>/plugins/<id>`: only the path of the site URL, so requests stay same-origin and a
 * subpath install (`https://host/chat`) gives `/chat/plugins/<id>`.
 */
export function pluginBasePath(siteURL: string | undefined): string {
    return `${siteURLPath(siteURL)}/plugins/${manifest.id}`;
}

/** The path of the site URL without a trailing slash: '' at the root, `/chat` for `https://host/chat/`. */
export function siteURLPath(siteURL: string | undefined): string {
    let path = '';
    if (siteURL) {
        try {
            path = new URL(siteURL).pathname;
        } catch {
            path = siteURL.startsWith('/') ? siteURL : '';
        }
    }
    return path.replace(/\/+$/, '');
}

/**
 * getConfig(state).SiteURL. Read directly rather than through mattermost-redux's selector module,
 * which would pull its constants and helpers (~30 KB) into the bundle for a one-line accessor.
 */
export function siteURLFrom(state: unknown): string | undefined {
    const config = (state as Partial<GlobalState> | undefined)?.entities?.general?.config;
    return typeof config?.SiteURL === 'string' ? config.SiteURL : undefined;
}

/**
 * The query values an endpoint declares, each optional: a free-text value may be a number (sent as its decimal text),
 * an enum's is one of its options.
 */
type QueryValues<Query extends z.ZodType> = {
    [Name in keyof z.input<Query>]?: string extends NonNullable<z.input<Query>[Name]> ? string | number : z.input<Query>[Name];
};

/** What a call of `E` needs: the path's parameters, the declared query and, for a write, the declared body. */
export type CallArgs<E extends AnyEndpoint> =
    ([ParamNames<E['path']>] extends [never] ? {params?: undefined} : {params: PathParams<E['path']>}) &
    (E['query'] extends z.ZodType ? {query?: QueryValues<E['query']>} : {query?: undefined}) &
    (E['body'] extends z.ZodType ? {body: BodyInputOf<E>} : {body?: undefined});

/** The query string of `values` in their order, without the absent ones ('' when none is present). */
function queryString(values: Record<string, string | number | undefined> | undefined): string {
    const present = Object.entries(values ?? {}).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
    return present.length === 0 ?
        '' :
        '?' + present.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`).join('&');
}

export class Client {
    /** `basePath` is read on every request, so a site URL change in the config is picked up. */
    constructor(private readonly basePath: () => string) {}

    /**
     * Calls one declared endpoint: a JSON answer validated with the declared schema, or, for a file
     * endpoint, the body text as is. Errors are ClientErrors.
     */
    async call<E extends AnyEndpoint>(
        endpoint: E,
        ...[args]: Partial<CallArgs<E>> extends CallArgs<E> ? [CallArgs<E>?] : [CallArgs<E>]
    ): Promise<AnswerOf<E>> {
        const {params, query, body} = (args ?? {}) as {
            params?: Record<string, string>;
            query?: Record<string, string | number | undefined>;
            body?: unknown;
        };
        const url = (endpoint.toPath as (values?: Record<string, string>) => string)(params) + queryString(query);
        if (isFileAnswer(endpoint.answer)) {
            return (await this.send(endpoint.method, url, body)).text as AnswerOf<E>;
        }
        return this.request(endpoint.method, url, endpoint.answer, body) as Promise<AnswerOf<E>>;
    }

    getStatus(): Promise<Status> {
        return this.call(StatusEndpoints.status);
    }

    // Plan (every write names the version it is based on; 409 cockpit.state.version_conflict when stale).

    getPlan(): Promise<PlanResponse> {
        return this.call(PlanEndpoints.plan);
    }

    /** The caller's own tasks (any signed-in user). */
    getMyTasks(): Promise<MyTasksResponse> {
        return this.call(PlanEndpoints.myTasks);
    }

    /** The owner changes their task's state, notes or evidence. */
    updateMyTask(taskId: string, expectedVersion: number, changes: TaskChanges): Promise<MyTasksResponse> {
        return this.call(PlanEndpoints.myTaskUpdate, {params: {taskId}, body: {expected_version: expectedVersion, changes}});
    }

    updateTask(taskId: string, expectedVersion: number, changes: TaskChanges): Promise<PlanResponse> {
        return this.call(PlanEndpoints.updateTask, {params: {taskId}, body: {expected_version: expectedVersion, changes}});
    }

    addTask(phaseId: string, expectedVersion: number, task: Task): Promise<PlanResponse> {
        return this.call(PlanEndpoints.addTask, {params: {phaseId}, body: {expected_version: expectedVersion, task}});
    }

    acceptEvidence(taskId: string, expectedVersion: number, index: number): Promise<PlanResponse> {
        return this.call(PlanEndpoints.acceptEvidence, {params: {taskId}, body: {expected_version: expectedVersion, index}});
    }

    deleteTask(taskId: string, expectedVersion: number): Promise<PlanResponse> {
        return this.call(PlanEndpoints.deleteTask, {params: {taskId}, body: {expected_version: expectedVersion}});
    }

    addPhase(expectedVersion: number, phase: Phase): Promise<PlanResponse> {
        return this.call(PlanEndpoints.addPhase, {body: {expected_version: expectedVersion, phase}});
    }

    updatePhase(phaseId: string, expectedVersion: number, changes: {title?: string; description?: string}): Promise<PlanResponse> {
        return this.call(PlanEndpoints.updatePhase, {params: {phaseId}, body: {expected_version: expectedVersion, changes}});
    }

    deletePhase(phaseId: string, expectedVersion: number): Promise<PlanResponse> {
        return this.call(PlanEndpoints.deletePhase, {params: {phaseId}, body: {expected_version: expectedVersion}});
    }

    reorderPlan(expectedVersion: number, phaseOrder: string[], taskOrder: Record<string, string[]>): Promise<PlanResponse> {
        return this.call(PlanEndpoints.reorder, {
            body: {expected_version: expectedVersion, phase_order: phaseOrder, task_order: taskOrder},
        });
    }

    /** The plan's content as the server exports it (JSON text, saved as a file). */
    exportPlan(): Promise<string> {
        return this.call(PlanEndpoints.exportPlan);
    }

    /** `plan` is whatever the chosen file holds: the server validates it and answers 400 with a readable message. */
    previewImport(plan: unknown): Promise<ImportPreview> {
        return this.call(PlanEndpoints.importPreview, {body: {plan}});
    }

    importPlan(plan: unknown, expectedVersion?: number): Promise<PlanResponse> {
        const body = expectedVersion === undefined ? {plan} : {expected_version: expectedVersion, plan};
        return this.call(PlanEndpoints.importPlan, {body});
    }

    // Readiness and config snapshots.

    getReadiness(): Promise<ReadinessReport> {
        return this.call(ReadinessEndpoints.readiness);
    }

    runReadiness(): Promise<ReadinessReport> {
        return this.call(ReadinessEndpoints.readinessRun, {body: {}});
    }

    /** Runs the live probes as the signed-in admin, then the checks. */
    runProbes(): Promise<ReadinessReport> {
        return this.call(ReadinessEndpoints.readinessProbesRun, {body: {}});
    }

    // The staging → production bundle.

    /** The picked parts as one JSON file's text. */
    exportBundle(parts: readonly BundlePart[], includePeople: boolean): Promise<string> {
        return this.call(BundleEndpoints.export, {query: {parts: parts.join(','), include_people: includePeople ? 'true' : 'false'}});
    }

    /** `bundle` is whatever the chosen file holds: the server validates it (400 naming the bad field). */
    previewBundle(bundle: unknown): Promise<BundlePreview> {
        return this.call(BundleEndpoints.preview, {body: {bundle} as BodyInputOf<typeof BundleEndpoints.preview>});
    }

    applyBundle(bundle: unknown, parts: BundlePart[]): Promise<BundleApply> {
        return this.call(BundleEndpoints.apply, {body: {bundle, parts} as BodyInputOf<typeof BundleEndpoints.apply>});
    }

    /** The config snapshot as JSON text, saved as a file. */
    getConfigSnapshot(): Promise<string> {
        return this.call(ConfigSnapshotEndpoints.configSnapshot);
    }

    /** `snapshot` is whatever the chosen file holds: the server validates it (400 with a readable message). */
    compareConfig(snapshot: unknown): Promise<SettingDifference[]> {
        return this.call(ConfigSnapshotEndpoints.configCompare, {
            body: {snapshot} as BodyInputOf<typeof ConfigSnapshotEndpoints.configCompare>,
        });
    }

    // Audit log.

    /** `page` counts from 0; entries are newest first. */
    getAudit(page: number, perPage: number): Promise<AuditPage> {
        return this.call(AuditEndpoints.audit, {query: {page, per_page: perPage}});
    }

    exportAudit(format: 'csv' | 'json'): Promise<string> {
        return this.call(AuditEndpoints.auditExport, {query: {format}});
    }

    // Branding studio (every write names the history version it is based on; 409 when stale).

    getBranding(): Promise<BrandingState> {
        return this.call(BrandingEndpoints.branding);
    }

    applyBranding(expectedVersion: number, values: BrandingValues, image?: ImageChange): Promise<ApplyBrandingResponse> {
        const body = image === undefined ? {expected_version: expectedVersion, values} : {expected_version: expectedVersion, values, image};
        return this.call(BrandingEndpoints.apply, {body});
    }

    /** `page` counts from 0; newest first. */
    getBrandingHistory(page = 0): Promise<BrandingHistoryPage> {
        return this.call(BrandingEndpoints.history, {query: {page}});
    }

    rollbackBranding(expectedVersion: number, version: number): Promise<RollbackBrandingResponse> {
        return this.call(BrandingEndpoints.rollback, {body: {expected_version: expectedVersion, version}});
    }

    getBrandingImage(version: number): Promise<StoredBrandImage> {
        return this.call(BrandingEndpoints.image, {params: {version: String(version)}});
    }

    /** A client app preset file (text) as the server generates it. */
    getBrandingPreset(kind: PresetKind): Promise<string> {
        return this.call(BrandingEndpoints.preset, {params: {kind}});
    }

    // Adoption metrics and success targets.

    getAdoption(): Promise<AdoptionResponse> {
        return this.call(AdoptionEndpoints.adoption);
    }

    /** The complete list of targets, based on `expectedVersion` (409 when someone saved in between). */
    saveAdoptionTargets(expectedVersion: number, targets: AdoptionTargetInput[]): Promise<TargetsResponse> {
        return this.call(AdoptionEndpoints.targets, {body: {expected_version: expectedVersion, targets}});
    }

    /** A series as CSV text, saved as a file. */
    exportAdoption(series: AdoptionExportSeries): Promise<string> {
        return this.call(AdoptionEndpoints.export, {query: {series}});
    }

    // Role templates (system admins) and their review (team admins of the team in the path).

    getTemplates(): Promise<TemplateList> {
        return this.call(TemplateEndpoints.templates);
    }

    createTemplate(definition: CreateTemplateRequest): Promise<Template> {
        return this.call(TemplateEndpoints.create, {body: definition});
    }

    updateTemplate(templateId: string, expectedVersion: number, definition: TemplateDefinition): Promise<Template> {
        return this.call(TemplateEndpoints.update, {params: {templateId}, body: {expected_version: expectedVersion, definition}});
    }

    deleteTemplate(templateId: string, expectedVersion: number): Promise<{deleted: boolean}> {
        return this.call(TemplateEndpoints.delete, {params: {templateId}, body: {expected_version: expectedVersion}});
    }

    getDelegation(): Promise<DelegationState> {
        return this.call(TemplateEndpoints.delegation);
    }

    assignDelegatedRoles(request: AssignDelegatedRolesRequest): Promise<DelegationState> {
        return this.call(TemplateEndpoints.assignDelegation, {body: request});
    }

    /** The moderation credential's status; the server never sends the token itself. */
    getCredential(): Promise<CredentialStatus> {
        return this.call(TemplateEndpoints.credential);
    }

    grantCredential(): Promise<CredentialStatus> {
        return this.call(TemplateEndpoints.credentialGrant, {body: {}});
    }

    revokeCredential(): Promise<CredentialStatus> {
        return this.call(TemplateEndpoints.credentialRevoke, {body: {}});
    }

    getProposals(): Promise<ProposalList> {
        return this.call(TemplateEndpoints.proposals);
    }

    createProposal(request: CreateProposalRequest): Promise<ProposalDetail> {
        return this.call(TemplateEndpoints.createProposal, {body: request});
    }

    getProposal(proposalId: string): Promise<ProposalDetail> {
        return this.call(TemplateEndpoints.proposal, {params: {proposalId}});
    }

    getMyReviewTeams(): Promise<MyReviewTeams> {
        return this.call(TemplateEndpoints.myReviewTeams);
    }

    getTeamInbox(teamId: string): Promise<TeamInbox> {
        return this.call(TemplateEndpoints.teamInbox, {params: {teamId}});
    }

    getTeamReview(teamId: string, proposalId: string): Promise<TeamReview> {
        return this.call(TemplateEndpoints.teamProposal, {params: {teamId, proposalId}});
    }

    decideChannels(teamId: string, proposalId: string, request: DecideRequest): Promise<TeamReview> {
        return this.call(TemplateEndpoints.decide, {params: {teamId, proposalId}, body: request});
    }

    /** Restores the settings recorded before the template was applied to these channels. */
    rollbackChannels(teamId: string, proposalId: string, expectedVersion: number, channelIds: string[]): Promise<TeamReview> {
        return this.call(TemplateEndpoints.rollback, {
            params: {teamId, proposalId},
            body: {expected_version: expectedVersion, channel_ids: channelIds},
        });
    }

    /** Applies failed / needs-license channels again. */
    retryChannels(teamId: string, proposalId: string, expectedVersion: number, channelIds: string[]): Promise<TeamReview> {
        return this.call(TemplateEndpoints.retry, {
            params: {teamId, proposalId},
            body: {expected_version: expectedVersion, channel_ids: channelIds},
        });
    }

    // Rollout waves (system admins; edits of a draft name the version they are based on, 409 when stale).

    listWaves() {
        return this.call(WaveEndpoints.list);
    }

    getWave(waveId: string) {
        return this.call(WaveEndpoints.wave, {params: {waveId}});
    }

    createWave(definition: WaveDefinition) {
        return this.call(WaveEndpoints.create, {body: definition});
    }

    updateWave(
        waveId: string,
        expectedVersion: number,
        changes: Partial<Omit<WaveDefinition, 'cohort'>> & {cohort?: WaveDefinition['cohort']},
    ) {
        return this.call(WaveEndpoints.update, {params: {waveId}, body: {expected_version: expectedVersion, changes}});
    }

    /** One chunk (≤ 10,000 rows) of the cohort CSV; `replace` drops the rows stored so far first. */
    appendWaveCsv(waveId: string, expectedVersion: number, rows: CsvRow[], replace: boolean) {
        return this.call(WaveEndpoints.csv, {params: {waveId}, body: {expected_version: expectedVersion, rows, replace}});
    }

    deleteWave(waveId: string, expectedVersion: number) {
        return this.call(WaveEndpoints.delete, {params: {waveId}, body: {expected_version: expectedVersion}});
    }

    dryRunWave(waveId: string) {
        return this.call(WaveEndpoints.dryRun, {params: {waveId}, body: {}});
    }

    /** `startAt` null = now. */
    startWave(waveId: string, expectedVersion: number, startAt: number | null) {
        return this.call(WaveEndpoints.start, {params: {waveId}, body: {expected_version: expectedVersion, start_at: startAt}});
    }

    waveAction(waveId: string, action: 'pause' | 'resume' | 'cancel' | 'retryFailed') {
        return this.call(WaveEndpoints[action], {params: {waveId}, body: {}});
    }

    getWaveProgress(waveId: string) {
        return this.call(WaveEndpoints.progress, {params: {waveId}});
    }

    /** `page` counts from 0; `outcome` filters (all outcomes when absent). */
    getWaveResults(waveId: string, page: number, perPage: number, outcome?: Outcome) {
        return this.call(WaveEndpoints.results, {params: {waveId}, query: {page, per_page: perPage, outcome}});
    }

    previewWelcome(waveId: string, edits: WelcomePreviewRequest) {
        return this.call(WaveEndpoints.welcomePreview, {params: {waveId}, body: edits});
    }

    testSendWelcome(waveId: string, edits: WelcomePreviewRequest) {
        return this.call(WaveEndpoints.welcomeTestSend, {params: {waveId}, body: edits});
    }

    /** The invitation email as edited, rendered for one person of the file (`line`) or for the caller. */
    previewInvitation(waveId: string, edits: InvitationPreviewRequest) {
        return this.call(WaveEndpoints.invitationPreview, {params: {waveId}, body: edits});
    }

    /** Mails that rendering to the caller's own address. */
    testSendInvitation(waveId: string, edits: InvitationPreviewRequest) {
        return this.call(WaveEndpoints.invitationTestSend, {params: {waveId}, body: edits});
    }

    /** The wave's activation funnel: cohort → provisioned → welcomed → invited → logged in → posted, and feedback. */
    getWaveActivation(waveId: string) {
        return this.call(WaveEndpoints.activation, {params: {waveId}});
    }

    /** Per-user activation status as CSV text (saved as a file). */
    exportWaveActivation(waveId: string): Promise<string> {
        return this.call(WaveEndpoints.activationExport, {params: {waveId}});
    }

    // Stakeholder status page (counts only) and who may see it.

    getStakeholderStatus(): Promise<StakeholderStatus> {
        return this.call(StakeholderEndpoints.status);
    }

    /** Whether the signed-in user may open the status page (system admin or on the access list). */
    getStakeholderPageAccess(): Promise<StakeholderPageAccess> {
        return this.call(StakeholderEndpoints.allowed);
    }

    getStakeholderAccess(): Promise<StakeholderAccessResponse> {
        return this.call(StakeholderEndpoints.access);
    }

    /** The complete lists by name, based on `expected_version` (409 when someone saved in between). */
    saveStakeholderAccess(body: SaveStakeholderAccessRequest): Promise<StakeholderAccessResponse> {
        return this.call(StakeholderEndpoints.saveAccess, {body});
    }

    /** The person a username, email or user id names, and how many cockpit records name them. */
    findPerson(term: string): Promise<PersonLookup> {
        return this.call(PrivacyEndpoints.person, {query: {term}});
    }

    /** Erases every cockpit record naming the person (system admins; audited). */
    erasePerson(body: Partial<EraseRequest>): Promise<EraseResponse> {
        return this.call(PrivacyEndpoints.erase, {body});
    }

    getPrivacy(): Promise<PrivacyState> {
        return this.call(PrivacyEndpoints.state);
    }

    /** Retention and automatic erasure (409 when someone saved in between). */
    savePrivacySettings(expectedVersion: number, settings: PrivacySettings): Promise<PrivacyState> {
        return this.call(PrivacyEndpoints.saveSettings, {body: {expected_version: expectedVersion, settings}});
    }

    /** Sends one request and validates its JSON answer with `schema`. */
    async request<S extends z.ZodType>(method: Method, route: string, schema: S, body?: unknown): Promise<z.output<S>> {
        const {response, text, url} = await this.send(method, route, body);
        const json = parseJson(text);
        if (!json.parsed) {
            throw new ClientError(response.status, ClientErrorIds.badResponse, 'The server answer is not JSON.', url);
        }
        const result = schema.safeParse(json.value);
        if (!result.success) {
            throw new ClientError(response.status, ClientErrorIds.badResponse,
                `The server answer has an unexpected shape: ${z.prettifyError(result.error)}`, url);
        }
        return result.data;
    }

    /** Sends one request; resolves with the body text of a 2xx answer, throws a ClientError otherwise. */
    private async send(method: Method, route: string, body?: unknown): Promise<{response: Response; text: string; url: string}> {
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

        if (!response.ok) {
            throw httpError(response, parseJson(text).value, url);
        }
        return {response, text, url};
    }
}

function parseJson(text: string): {parsed: true; value: unknown} | {parsed: false; value: undefined} {
    if (text) {
        try {
            return {parsed: true, value: JSON.parse(text)};
        } catch {
            // not JSON: the caller decides what that means
        }
    }
    return {parsed: false, value: undefined};
}

function httpError(response: Response, json: unknown, url: string): ClientError {
    const plugin = PluginErrorBodySchema.safeParse(json);
    if (plugin.success) {
        const {id, message, conflict, field} = plugin.data.error;
        return new ClientError(response.status, id, message, url, {conflict, field});
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
    conflict?: FieldConflict;
    field?: string;
}

export function toRequestError(err: unknown): RequestError {
    if (err instanceof ClientError) {
        return {
            status: err.status,
            id: err.id,
            message: err.message,
            ...(err.conflict ? {conflict: err.conflict} : {}),
            ...(err.field ? {field: err.field} : {}),
        };
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
