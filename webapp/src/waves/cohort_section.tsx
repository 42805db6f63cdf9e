import React, {useCallback, useId, useRef, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {type CockpitLocale, cockpitLocales} from 'contract/locales';
import {maxCsvRows, type CsvProblem, type WaveResponse} from 'contract/waves';

import {cohortTemplateCsv, csvChunks, parseCohortCsv} from './csv';
import {wavesMessages as m} from './messages';
import {useWavesClient} from './use_waves';
import type {Draft} from './wave_editor';

import {toRequestError, type RequestError} from '../client';
import {readFileText, saveTextFile} from '../components/files';
import {ChosenList, Picker, type PickOption} from '../components/picker';
import {ProgressBar} from '../components/progress_bar';
import {RequestErrorText} from '../components/request_error';
import {useHostDispatch} from '../mattermost/dispatch';
import {searchGroups} from '../mattermost/groups';

/**
 * A file of this size or more (10 MB, decimal, as the issue and the message say) is refused before it is
 * read: 50,000 rows of addresses are far smaller, and reading a huge file would freeze the page.
 */
export const csvFileLimitBytes = 10_000_000;

/** How far the CSV upload is: 0 while an empty file is still running, 100 once it is done. */
function uploadPercent(upload: UploadState): number {
    if (upload.total === 0) {
        return upload.running ? 0 : 100;
    }
    return (upload.sent / upload.total) * 100;
}

interface UploadState {
    fileName: string;

    /** Problems found while reading the file (not uploaded). */
    problems: CsvProblem[];
    header: boolean;

    /** The named columns read (empty for a one-column file). */
    columns: string[];
    total: number;
    sent: number;
    running: boolean;
    error: RequestError | null;
    refused: string;
}

/**
 * Uploads `rows` in chunks through POST …/csv: the first chunk replaces what is stored, each chunk
 * names the version the previous answer gave. Returns the last answer.
 */
export async function uploadCsvRows(
    client: ReturnType<typeof useWavesClient>['client'],
    wave: WaveResponse,
    rows: Parameters<typeof csvChunks>[0],
    onChunk: (wave: WaveResponse, sent: number) => void,
): Promise<WaveResponse> {
    let current = wave;
    let sent = 0;
    const chunks = csvChunks(rows);
    if (chunks.length === 0) {
        chunks.push([]);
    }
    for (const [index, chunk] of chunks.entries()) {
        // eslint-disable-next-line no-await-in-loop -- the chunks go in order, each on the version the one before returned.
        current = await client.appendWaveCsv(current.id, current.version, chunk, index === 0);
        sent += chunk.length;
        onChunk(current, sent);
    }
    return current;
}

function CsvUpload({
    wave,
    onWave,
    onError,
}: {
    wave: WaveResponse;
    onWave: (wave: WaveResponse) => void;
    onError: (error: RequestError) => void;
}) {
    const intl = useIntl();
    const {client} = useWavesClient();
    const id = useId();
    const input = useRef<HTMLInputElement>(null);
    const [upload, setUpload] = useState<UploadState | null>(null);
    const stored = wave.definition.cohort.csv.length;

    const onFile = async (file: File | undefined) => {
        if (input.current) {
            input.current.value = '';
        }
        if (!file) {
            return;
        }
        const base: UploadState = {
            fileName: file.name,
            problems: [],
            header: false,
            columns: [],
            total: 0,
            sent: 0,
            running: false,
            error: null,
            refused: '',
        };
        if (file.size >= csvFileLimitBytes) {
            // Rounded down, so a file just at the limit reads "10 MB", never a misleading "9.9 MB".
            const size = intl.formatNumber(Math.floor(file.size / 100_000) / 10, {maximumFractionDigits: 1});
            setUpload({
                ...base,
                refused: intl.formatMessage(m.csvTooBig, {file: file.name, size, limit: intl.formatNumber(csvFileLimitBytes)}),
            });
            return;
        }
        const parsed = parseCohortCsv(await readFileText(file));
        if (parsed.tooMany) {
            setUpload({
                ...base,
                problems: parsed.problems,
                refused: intl.formatMessage(m.csvTooManyRows, {rows: parsed.rows.length, max: maxCsvRows}),
            });
            return;
        }
        setUpload({
            ...base,
            problems: parsed.problems,
            header: parsed.header,
            columns: parsed.columns,
            total: parsed.rows.length,
            running: true,
        });
        try {
            await uploadCsvRows(client, wave, parsed.rows, (next, sent) => {
                onWave(next);
                setUpload((u) => u && {...u, sent});
            });
            setUpload((u) => u && {...u, running: false});
        } catch (err) {
            const error = toRequestError(err);
            setUpload((u) => u && {...u, running: false, error});
            onError(error);
        }
    };

    const problems = [...(upload?.problems ?? []), ...wave.csv_problems].sort((a, b) => a.line - b.line);

    return (
        <div className='cockpit-waves__csv'>
            <div className='cockpit-inline-form'>
                <label
                    htmlFor={id}
                    className='btn btn-secondary cockpit-file-button'
                >
                    <FormattedMessage {...m.csvUpload}/>
                </label>
                <input
                    ref={input}
                    id={id}
                    type='file'
                    data-testid='cohort-csv-input'
                    accept='.csv,.txt,text/csv,text/plain'
                    className='cockpit-file-input'
                    disabled={upload?.running}
                    onChange={(e) => {
                        onFile(e.target.files?.[0]);
                    }}
                />
                <button
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    onClick={() => saveTextFile(cohortTemplateCsv(), 'cohort-template.csv', 'text/csv')}
                >
                    <FormattedMessage {...m.csvTemplate}/>
                </button>
                <span className='cockpit-muted'>
                    <FormattedMessage
                        {...m.csvStored}
                        values={{rows: stored}}
                    />
                </span>
                {stored > 0 && !upload?.running && (
                    <button
                        type='button'
                        className='btn btn-tertiary btn-sm'
                        onClick={() => {
                            setUpload(null);
                            uploadCsvRows(client, wave, [], onWave).catch((err: unknown) => onError(toRequestError(err)));
                        }}
                    >
                        <FormattedMessage {...m.csvClear}/>
                    </button>
                )}
            </div>
            <p className='cockpit-muted cockpit-waves__hint'>
                <FormattedMessage
                    {...m.csvHelp}
                    values={{max: maxCsvRows}}
                />
            </p>
            {upload && (
                <div className='cockpit-waves__upload'>
                    {upload.refused ? (
                        <p
                            role='alert'
                            className='cockpit-error-text'
                        >{upload.refused}</p>
                    ) : (
                        <ProgressBar
                            label={intl.formatMessage(m.csvProgressLabel, {file: upload.fileName})}
                            percent={uploadPercent(upload)}
                            text={intl.formatMessage(m.csvProgress, {sent: upload.sent, total: upload.total})}
                        />
                    )}
                    {upload.header && <p className='cockpit-muted'><FormattedMessage {...m.csvHeaderSkipped}/></p>}
                    {upload.columns.length > 0 && (
                        <p className='cockpit-muted'>
                            <FormattedMessage
                                {...m.csvColumns}
                                values={{columns: upload.columns.join(', ')}}
                            />
                        </p>
                    )}
                    {upload.error && (
                        <p
                            role='alert'
                            className='cockpit-error-text'
                        >
                            <FormattedMessage
                                {...m.csvUploadFailed}
                                values={{sent: upload.sent, total: upload.total, message: <RequestErrorText error={upload.error}/>}}
                            />
                        </p>
                    )}
                </div>
            )}
            {problems.length > 0 && (
                <table className='cockpit-table cockpit-waves__problems'>
                    <caption>
                        <FormattedMessage
                            {...m.csvProblems}
                            values={{count: problems.length}}
                        />
                    </caption>
                    <thead>
                        <tr>
                            <th><FormattedMessage {...m.colLine}/></th>
                            <th><FormattedMessage {...m.colValue}/></th>
                            <th><FormattedMessage {...m.colProblem}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {problems.slice(0, 200).map((problem) => (
                            <tr key={`${problem.line}-${problem.reason}`}>
                                <td>{problem.line}</td>
                                <td><code>{problem.value}</code></td>
                                <td>{problem.reason}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            {problems.length > 200 && <p className='cockpit-muted'>
                <FormattedMessage
                    {...m.csvMoreProblems}
                    values={{more: problems.length - 200}}
                />
            </p>}
        </div>
    );
}

interface CohortSectionProps {
    wave: WaveResponse;
    draft: Draft;
    domainsText: string;
    domainError: string;
    names: ReadonlyMap<string, PickOption>;
    teams: PickOption[];
    onDraft: (change: (draft: Draft) => Draft) => void;
    onDomainsText: (text: string) => void;
    remember: (options: PickOption[]) => void;
    onWave: (wave: WaveResponse) => void;
    onError: (error: RequestError) => void;
}

/** The cohort's language filter: a box per language the cockpit speaks, none checked = no filter. */
export function CohortLanguages({chosen, onChange}: {chosen: readonly CockpitLocale[]; onChange: (locales: CockpitLocale[]) => void}) {
    const intl = useIntl();
    const id = useId();
    const toggle = (locale: CockpitLocale, on: boolean) =>

        // Kept in the languages' own order, so the saved list does not depend on the order of the clicks.
        onChange(cockpitLocales.filter((candidate) => (candidate === locale ? on : chosen.includes(candidate))));
    return (
        <div
            className='cockpit-field'
            role='group'
            aria-labelledby={`${id}-title`}
            aria-describedby={`${id}-hint`}
            data-testid='cohort-languages'
        >
            <h4
                id={`${id}-title`}
                className='cockpit-waves__subhead'
            ><FormattedMessage {...m.cohortLanguages}/></h4>
            <div className='cockpit-badges'>
                {cockpitLocales.map((locale) => (
                    <label
                        key={locale}
                        className='cockpit-check-row'
                    >
                        <input
                            type='checkbox'
                            value={locale}
                            checked={chosen.includes(locale)}
                            onChange={(e) => toggle(locale, e.target.checked)}
                        />
                        {intl.formatDisplayName(locale, {type: 'language'}) ?? locale}
                    </label>
                ))}
            </div>
            <p
                id={`${id}-hint`}
                className='cockpit-muted cockpit-waves__hint'
            ><FormattedMessage {...m.cohortLanguagesHint}/></p>
        </div>
    );
}

/** Who the wave is for: a CSV, groups, members of teams, email domains (any mix), narrowed by language. */
export function CohortSection(props: CohortSectionProps) {
    const {wave, draft, names, teams, onDraft, remember} = props;
    const dispatch = useHostDispatch();
    const intl = useIntl();
    const domainsId = useId();
    const findGroups = useCallback((term: string) => searchGroups(dispatch, term), [dispatch]);
    const findTeams = useCallback(
        async (term: string) => teams.filter((team) => `${team.label} ${team.detail}`.toLowerCase().includes(term.toLowerCase())),
        [teams],
    );
    const setCohort = (change: Partial<Draft['cohort']>) => onDraft((d) => ({...d, cohort: {...d.cohort, ...change}}));
    return (
        <fieldset>
            <legend><FormattedMessage {...m.cohortTitle}/></legend>
            <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.csvTitle}/></h4>
            <CsvUpload
                wave={wave}
                onWave={props.onWave}
                onError={props.onError}
            />
            <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.groupsTitle}/></h4>
            <ChosenList
                items={draft.cohort.group_ids}
                names={names}
                emptyText={<FormattedMessage {...m.noGroups}/>}
                onRemove={(id) => setCohort({group_ids: draft.cohort.group_ids.filter((g) => g !== id)})}
            />
            <Picker
                label={intl.formatMessage(m.searchGroups)}
                search={findGroups}
                chosen={draft.cohort.group_ids}
                onPick={(option) => {
                    remember([option]);
                    setCohort({group_ids: [...draft.cohort.group_ids, option.id]});
                }}
            />
            <h4 className='cockpit-waves__subhead'><FormattedMessage {...m.cohortTeamsTitle}/></h4>
            <ChosenList
                items={draft.cohort.team_ids}
                names={names}
                emptyText={<FormattedMessage {...m.noCohortTeams}/>}
                onRemove={(id) => setCohort({team_ids: draft.cohort.team_ids.filter((t) => t !== id)})}
            />
            <Picker
                label={intl.formatMessage(m.searchCohortTeams)}
                search={findTeams}
                chosen={draft.cohort.team_ids}
                onPick={(option) => setCohort({team_ids: [...draft.cohort.team_ids, option.id]})}
            />
            <div className='cockpit-field cockpit-waves__domains'>
                <label htmlFor={domainsId}><FormattedMessage {...m.domains}/></label>
                <input
                    id={domainsId}
                    className='form-control'
                    placeholder='example.com, corp.example.org'
                    value={props.domainsText}
                    aria-invalid={props.domainError !== ''}
                    aria-describedby={props.domainError ? `${domainsId}-error` : undefined}
                    onChange={(e) => props.onDomainsText(e.target.value)}
                />
                {props.domainError && (
                    <p
                        id={`${domainsId}-error`}
                        className='cockpit-error-text'
                    >{props.domainError}</p>
                )}
            </div>
            <CohortLanguages
                chosen={draft.cohort.locales ?? []}
                onChange={(locales) => setCohort({locales})}
            />
        </fieldset>
    );
}
