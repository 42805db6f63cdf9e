// The one client for the plugin's HTTP routes (contract/routes.ts). Every request goes through
// Client4.getOptions (X-Requested-With, the CSRF header from the MMCSRF cookie on writes,
// credentials: include), every answer is parsed as JSON and validated with the contract's schemas.
import {z} from 'zod';

import type {GlobalState} from '@mattermost/types/store';

import {Client4} from 'mattermost-redux/client';

import {
    AdoptionResponseSchema, TargetsResponseSchema,
    type AdoptionExportSeries, type AdoptionResponse, type AdoptionTargetInput, type TargetsResponse,
} from 'contract/adoption';
import {
    ApplyBrandingResponseSchema,
    BrandingHistoryPageSchema,
    BrandingStateSchema,
    RollbackBrandingResponseSchema,
    StoredBrandImageSchema,
    type ApplyBrandingResponse,
    type BrandingHistoryPage,
    type BrandingState,
    type BrandingValues,
    type ImageChange,
    type PresetKind,
    type RollbackBrandingResponse,
    type StoredBrandImage,
} from 'contract/branding';
import {manifest} from 'contract/manifest';
import type {Phase, Task} from 'contract/plan';
import {
    AuditPageSchema, ImportPreviewSchema, PlanResponseSchema, SettingDifferencesSchema,
    type AuditPage, type ImportPreview, type PlanResponse, type SettingDifference, type TaskChanges,
} from 'contract/plan_api';
import {ReadinessReportSchema, type ReadinessReport} from 'contract/readiness';
import {AdoptionRoutes, BrandingRoutes, PlanRoutes, Routes, StakeholderRoutes, TemplateRoutes, WaveRoutes} from 'contract/routes';
import {
    StakeholderAccessResponseSchema, StakeholderPageAccessSchema, StakeholderStatusSchema,
    type SaveStakeholderAccessRequest, type StakeholderAccessResponse, type StakeholderPageAccess, type StakeholderStatus,
} from 'contract/stakeholders';
import {StatusSchema, type Status} from 'contract/status';
import {
    CredentialStatusSchema, DelegationStateSchema, MyReviewTeamsSchema, ProposalDetailSchema, ProposalListSchema,
    TeamInboxSchema, TeamReviewSchema, TemplateListSchema, TemplateSchema,
    type AssignDelegatedRolesRequest, type CreateProposalRequest, type CreateTemplateRequest, type CredentialStatus,
    type DecideRequest, type DelegationState, type MyReviewTeams, type ProposalDetail, type ProposalList,
    type TeamInbox, type TeamReview, type Template, type TemplateDefinition, type TemplateList,
} from 'contract/templates';
import {ActivationFunnelSchema, type CsvRow, type Outcome, type WaveDefinition, type WelcomePreviewRequest} from 'contract/waves';
import {
    DeleteWaveResponseSchema, DryRunReportSchema, WaveProgressSchema, WaveResponseSchema, WaveResultsPageSchema,
    WaveSummaryListSchema, WelcomePreviewResponseSchema, WelcomeTestSendResponseSchema,
} from 'contract/waves_api';

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

const DeletedSchema = z.object({deleted: z.boolean()});

// {error: {id, message}} from plugin routes; {id, message} from Mattermost's own AppError answers.
const PluginErrorBodySchema = z.object({error: z.object({id: z.string(), message: z.string()})});
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

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class Client {
    /** `basePath` is read on every request, so a site URL change in the config is picked up. */
    constructor(private readonly basePath: () => string) {}

    getStatus(): Promise<Status> {
        return this.request('GET', Routes.status, StatusSchema);
    }

    // Plan (every write names the version it is based on; 409 cockpit.state.version_conflict when stale).

    getPlan(): Promise<PlanResponse> {
        return this.request('GET', PlanRoutes.plan, PlanResponseSchema);
    }

    updateTask(taskId: string, expectedVersion: number, changes: TaskChanges): Promise<PlanResponse> {
        return this.request('PATCH', PlanRoutes.task(taskId), PlanResponseSchema, {expected_version: expectedVersion, changes});
    }

    addTask(phaseId: string, expectedVersion: number, task: Task): Promise<PlanResponse> {
        return this.request('POST', PlanRoutes.phaseTasks(phaseId), PlanResponseSchema, {expected_version: expectedVersion, task});
    }

    deleteTask(taskId: string, expectedVersion: number): Promise<PlanResponse> {
        return this.request('DELETE', PlanRoutes.task(taskId), PlanResponseSchema, {expected_version: expectedVersion});
    }

    addPhase(expectedVersion: number, phase: Phase): Promise<PlanResponse> {
        return this.request('POST', PlanRoutes.phases, PlanResponseSchema, {expected_version: expectedVersion, phase});
    }

    updatePhase(phaseId: string, expectedVersion: number, changes: {title?: string; description?: string}): Promise<PlanResponse> {
        return this.request('PATCH', PlanRoutes.phase(phaseId), PlanResponseSchema, {expected_version: expectedVersion, changes});
    }

    deletePhase(phaseId: string, expectedVersion: number): Promise<PlanResponse> {
        return this.request('DELETE', PlanRoutes.phase(phaseId), PlanResponseSchema, {expected_version: expectedVersion});
    }

    reorderPlan(expectedVersion: number, phaseOrder: string[], taskOrder: Record<string, string[]>): Promise<PlanResponse> {
        return this.request('POST', PlanRoutes.reorder, PlanResponseSchema,
            {expected_version: expectedVersion, phase_order: phaseOrder, task_order: taskOrder});
    }

    /** The plan's content as the server exports it (JSON text, saved as a file). */
    exportPlan(): Promise<string> {
        return this.requestText(PlanRoutes.exportPlan);
    }

    /** `plan` is whatever the chosen file holds: the server validates it and answers 400 with a readable message. */
    previewImport(plan: unknown): Promise<ImportPreview> {
        return this.request('POST', PlanRoutes.importPreview, ImportPreviewSchema, {plan});
    }

    importPlan(plan: unknown, expectedVersion?: number): Promise<PlanResponse> {
        const body = expectedVersion === undefined ? {plan} : {expected_version: expectedVersion, plan};
        return this.request('POST', PlanRoutes.importPlan, PlanResponseSchema, body);
    }

    // Readiness and config snapshots.

    getReadiness(): Promise<ReadinessReport> {
        return this.request('GET', PlanRoutes.readiness, ReadinessReportSchema);
    }

    runReadiness(): Promise<ReadinessReport> {
        return this.request('POST', PlanRoutes.readinessRun, ReadinessReportSchema);
    }

    /** The config snapshot as JSON text, saved as a file. */
    getConfigSnapshot(): Promise<string> {
        return this.requestText(PlanRoutes.configSnapshot);
    }

    compareConfig(snapshot: unknown): Promise<SettingDifference[]> {
        return this.request('POST', PlanRoutes.configCompare, SettingDifferencesSchema, {snapshot});
    }

    // Audit log.

    /** `page` counts from 0; entries are newest first. */
    getAudit(page: number, perPage: number): Promise<AuditPage> {
        return this.request('GET', `${PlanRoutes.audit}?page=${page}&per_page=${perPage}`, AuditPageSchema);
    }

    exportAudit(format: 'csv' | 'json'): Promise<string> {
        return this.requestText(`${PlanRoutes.auditExport}?format=${format}`);
    }

    // Branding studio (every write names the history version it is based on; 409 when stale).

    getBranding(): Promise<BrandingState> {
        return this.request('GET', BrandingRoutes.branding, BrandingStateSchema);
    }

    applyBranding(expectedVersion: number, values: BrandingValues, image?: ImageChange): Promise<ApplyBrandingResponse> {
        const body = image === undefined ? {expected_version: expectedVersion, values} : {expected_version: expectedVersion, values, image};
        return this.request('POST', BrandingRoutes.apply, ApplyBrandingResponseSchema, body);
    }

    /** `page` counts from 0; newest first. */
    getBrandingHistory(page = 0): Promise<BrandingHistoryPage> {
        return this.request('GET', `${BrandingRoutes.history}?page=${page}`, BrandingHistoryPageSchema);
    }

    rollbackBranding(expectedVersion: number, version: number): Promise<RollbackBrandingResponse> {
        return this.request('POST', BrandingRoutes.rollback, RollbackBrandingResponseSchema, {expected_version: expectedVersion, version});
    }

    getBrandingImage(version: number): Promise<StoredBrandImage> {
        return this.request('GET', BrandingRoutes.image(version), StoredBrandImageSchema);
    }

    /** A client app preset file (text) as the server generates it. */
    getBrandingPreset(kind: PresetKind): Promise<string> {
        return this.requestText(BrandingRoutes.preset(kind));
    }

    // Adoption metrics and success targets.

    getAdoption(): Promise<AdoptionResponse> {
        return this.request('GET', AdoptionRoutes.adoption, AdoptionResponseSchema);
    }

    /** The complete list of targets, based on `expectedVersion` (409 when someone saved in between). */
    saveAdoptionTargets(expectedVersion: number, targets: AdoptionTargetInput[]): Promise<TargetsResponse> {
        return this.request('PUT', AdoptionRoutes.targets, TargetsResponseSchema, {expected_version: expectedVersion, targets});
    }

    /** A series as CSV text, saved as a file. */
    exportAdoption(series: AdoptionExportSeries): Promise<string> {
        return this.requestText(`${AdoptionRoutes.export}?series=${series}`);
    }

    // Role templates (system admins) and their review (team admins of the team in the path).

    getTemplates(): Promise<TemplateList> {
        return this.request('GET', TemplateRoutes.templates, TemplateListSchema);
    }

    createTemplate(definition: CreateTemplateRequest): Promise<Template> {
        return this.request('POST', TemplateRoutes.templates, TemplateSchema, definition);
    }

    updateTemplate(templateId: string, expectedVersion: number, definition: TemplateDefinition): Promise<Template> {
        return this.request('PUT', TemplateRoutes.template(templateId), TemplateSchema, {expected_version: expectedVersion, definition});
    }

    deleteTemplate(templateId: string, expectedVersion: number): Promise<{deleted: boolean}> {
        return this.request('DELETE', `${TemplateRoutes.template(templateId)}?expected_version=${expectedVersion}`, DeletedSchema);
    }

    getDelegation(): Promise<DelegationState> {
        return this.request('GET', TemplateRoutes.delegation, DelegationStateSchema);
    }

    assignDelegatedRoles(request: AssignDelegatedRolesRequest): Promise<DelegationState> {
        return this.request('POST', TemplateRoutes.delegation, DelegationStateSchema, request);
    }

    /** The moderation credential's status; the server never sends the token itself. */
    getCredential(): Promise<CredentialStatus> {
        return this.request('GET', TemplateRoutes.credential, CredentialStatusSchema);
    }

    grantCredential(): Promise<CredentialStatus> {
        return this.request('POST', TemplateRoutes.credentialGrant, CredentialStatusSchema, {});
    }

    revokeCredential(): Promise<CredentialStatus> {
        return this.request('POST', TemplateRoutes.credentialRevoke, CredentialStatusSchema, {});
    }

    getProposals(): Promise<ProposalList> {
        return this.request('GET', TemplateRoutes.proposals, ProposalListSchema);
    }

    createProposal(request: CreateProposalRequest): Promise<ProposalDetail> {
        return this.request('POST', TemplateRoutes.proposals, ProposalDetailSchema, request);
    }

    getProposal(proposalId: string): Promise<ProposalDetail> {
        return this.request('GET', TemplateRoutes.proposal(proposalId), ProposalDetailSchema);
    }

    getMyReviewTeams(): Promise<MyReviewTeams> {
        return this.request('GET', TemplateRoutes.myReviewTeams, MyReviewTeamsSchema);
    }

    getTeamInbox(teamId: string): Promise<TeamInbox> {
        return this.request('GET', TemplateRoutes.teamInbox(teamId), TeamInboxSchema);
    }

    getTeamReview(teamId: string, proposalId: string): Promise<TeamReview> {
        return this.request('GET', TemplateRoutes.teamProposal(teamId, proposalId), TeamReviewSchema);
    }

    decideChannels(teamId: string, proposalId: string, request: DecideRequest): Promise<TeamReview> {
        return this.request('POST', TemplateRoutes.decide(teamId, proposalId), TeamReviewSchema, request);
    }

    /** Restores the settings recorded before the template was applied to these channels. */
    rollbackChannels(teamId: string, proposalId: string, expectedVersion: number, channelIds: string[]): Promise<TeamReview> {
        return this.request('POST', TemplateRoutes.rollback(teamId, proposalId), TeamReviewSchema, {expected_version: expectedVersion, channel_ids: channelIds});
    }

    /** Applies failed / needs-license channels again. */
    retryChannels(teamId: string, proposalId: string, expectedVersion: number, channelIds: string[]): Promise<TeamReview> {
        return this.request('POST', TemplateRoutes.retry(teamId, proposalId), TeamReviewSchema, {expected_version: expectedVersion, channel_ids: channelIds});
    }

    // Rollout waves (system admins; edits of a draft name the version they are based on, 409 when stale).

    listWaves() {
        return this.request('GET', WaveRoutes.waves, WaveSummaryListSchema);
    }

    getWave(waveId: string) {
        return this.request('GET', WaveRoutes.wave(waveId), WaveResponseSchema);
    }

    createWave(definition: WaveDefinition) {
        return this.request('POST', WaveRoutes.waves, WaveResponseSchema, definition);
    }

    updateWave(waveId: string, expectedVersion: number, changes: Partial<Omit<WaveDefinition, 'cohort'>> & {cohort?: WaveDefinition['cohort']}) {
        return this.request('PATCH', WaveRoutes.wave(waveId), WaveResponseSchema, {expected_version: expectedVersion, changes});
    }

    /** One chunk (≤ 10,000 rows) of the cohort CSV; `replace` drops the rows stored so far first. */
    appendWaveCsv(waveId: string, expectedVersion: number, rows: CsvRow[], replace: boolean) {
        return this.request('POST', WaveRoutes.csv(waveId), WaveResponseSchema, {expected_version: expectedVersion, rows, replace});
    }

    deleteWave(waveId: string, expectedVersion: number) {
        return this.request('DELETE', WaveRoutes.wave(waveId), DeleteWaveResponseSchema, {expected_version: expectedVersion});
    }

    dryRunWave(waveId: string) {
        return this.request('POST', WaveRoutes.dryRun(waveId), DryRunReportSchema, {});
    }

    /** `startAt` null = now. */
    startWave(waveId: string, expectedVersion: number, startAt: number | null) {
        return this.request('POST', WaveRoutes.start(waveId), WaveResponseSchema, {expected_version: expectedVersion, start_at: startAt});
    }

    waveAction(waveId: string, action: 'pause' | 'resume' | 'cancel' | 'retryFailed') {
        return this.request('POST', WaveRoutes[action](waveId), WaveProgressSchema, {});
    }

    getWaveProgress(waveId: string) {
        return this.request('GET', WaveRoutes.progress(waveId), WaveProgressSchema);
    }

    /** `page` counts from 0; `outcome` filters (all outcomes when absent). */
    getWaveResults(waveId: string, page: number, perPage: number, outcome?: Outcome) {
        const filter = outcome ? `&outcome=${outcome}` : '';
        return this.request('GET', `${WaveRoutes.results(waveId)}?page=${page}&per_page=${perPage}${filter}`, WaveResultsPageSchema);
    }

    previewWelcome(waveId: string, edits: WelcomePreviewRequest) {
        return this.request('POST', WaveRoutes.welcomePreview(waveId), WelcomePreviewResponseSchema, edits);
    }

    testSendWelcome(waveId: string, edits: WelcomePreviewRequest) {
        return this.request('POST', WaveRoutes.welcomeTestSend(waveId), WelcomeTestSendResponseSchema, edits);
    }

    /** The wave's activation funnel: cohort → provisioned → welcomed → invited → logged in → posted, and feedback. */
    getWaveActivation(waveId: string) {
        return this.request('GET', WaveRoutes.activation(waveId), ActivationFunnelSchema);
    }

    /** Per-user activation status as CSV text (saved as a file). */
    exportWaveActivation(waveId: string): Promise<string> {
        return this.requestText(WaveRoutes.activationExport(waveId));
    }

    // Stakeholder status page (counts only) and who may see it.

    getStakeholderStatus(): Promise<StakeholderStatus> {
        return this.request('GET', StakeholderRoutes.status, StakeholderStatusSchema);
    }

    /** Whether the signed-in user may open the status page (system admin or on the access list). */
    getStakeholderPageAccess(): Promise<StakeholderPageAccess> {
        return this.request('GET', StakeholderRoutes.allowed, StakeholderPageAccessSchema);
    }

    getStakeholderAccess(): Promise<StakeholderAccessResponse> {
        return this.request('GET', StakeholderRoutes.access, StakeholderAccessResponseSchema);
    }

    /** The complete lists by name, based on `expected_version` (409 when someone saved in between). */
    saveStakeholderAccess(body: SaveStakeholderAccessRequest): Promise<StakeholderAccessResponse> {
        return this.request('PUT', StakeholderRoutes.access, StakeholderAccessResponseSchema, body);
    }

    /** A GET whose answer is a file: the body text as is, errors as for every other request. */
    async requestText(route: string): Promise<string> {
        const {text} = await this.send('GET', route);
        return text;
    }

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
