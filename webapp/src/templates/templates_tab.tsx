// The Templates tab (System Console, system admins): role templates (starters included) with an
// editor, proposing one for channels of several teams, the proposals' per-channel status, and the
// credential and license the moderation changes depend on.
import React, {useCallback, useEffect, useMemo, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';
import {useStore} from 'react-redux';

import {ErrorIds} from 'contract/errors';
import type {CredentialStatus, DelegationState, ProposalSummary, Template, TemplateDefinition} from 'contract/templates';

import {CredentialPanel, DelegationPanel} from './access_panel';
import {templatesMessages as m} from './messages';
import {ruleValue} from './model';
import {ProposalsList} from './proposals';
import {ProposeForm} from './propose_form';
import {templatesCss} from './styles';
import {TemplateEditor} from './template_editor';

import {clientFor, toRequestError, type RequestError} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {errorText} from '../components/error_text';
import {WriteControls} from '../components/read_only';
import {RequestErrorNotice} from '../components/request_error';

interface Loaded {
    templates: Template[];
    proposals: ProposalSummary[];
    credential: CredentialStatus | null;
    delegation: DelegationState | null;
}

/** One line saying what a template changes. */
function TemplateSummary({definition}: {definition: TemplateDefinition}) {
    const intl = useIntl();
    const rules = Object.values(definition.moderation).reduce(
        (n, rule) => n + Number(ruleValue(rule, 'members') !== undefined) + Number(ruleValue(rule, 'guests') !== undefined),
        0,
    );
    const parts: string[] = [];
    if (rules > 0) {
        parts.push(intl.formatMessage(m.summaryRules, {count: rules}));
    }
    const admins = definition.channel_admins;
    if (admins.user_ids.length + admins.group_ids.length > 0 || admins.channel_creator) {
        parts.push(
            intl.formatMessage(m.summaryAdmins, {
                users: admins.user_ids.length,
                groups: admins.group_ids.length,
                creator: String(admins.channel_creator),
            }),
        );
    }
    if (definition.properties.header !== undefined) {
        parts.push(intl.formatMessage(m.fieldHeader));
    }
    if (definition.properties.purpose !== undefined) {
        parts.push(intl.formatMessage(m.fieldPurpose));
    }
    return <span className='cockpit-muted'>{parts.join(' · ')}</span>;
}

export function TemplatesTab() {
    const intl = useIntl();
    const store = useStore();
    const client = useMemo(() => clientFor(store.getState), [store]);
    const [loaded, setLoaded] = useState<Loaded | null>(null);
    const [error, setError] = useState<RequestError | null>(null);
    const [loading, setLoading] = useState(true);
    const [editing, setEditing] = useState<Template | 'new' | null>(null);
    const [saving, setSaving] = useState(false);
    const [notice, setNotice] = useState<{kind: 'ok' | 'error'; text: string} | null>(null);
    const [proposedNotice, setProposedNotice] = useState<string | null>(null);
    const [confirmDelete, setConfirmDelete] = useState<Template | null>(null);
    const [proposeId, setProposeId] = useState<string | null>(null);
    const [openProposal, setOpenProposal] = useState<string | null>(null);

    const load = useCallback(async () => {
        setLoading(true);
        setError(null);
        try {
            const [templates, proposals, credential, delegation] = await Promise.all([
                client.getTemplates(),
                client.getProposals(),

                // The access panels are secondary: the tab works without them.
                client.getCredential().catch(() => null),
                client.getDelegation().catch(() => null),
            ]);
            setLoaded({templates: templates.templates, proposals: proposals.proposals, credential, delegation});
        } catch (err) {
            setError(toRequestError(err));
        } finally {
            setLoading(false);
        }
    }, [client]);

    const reloadProposals = useCallback(async () => {
        try {
            const {proposals} = await client.getProposals();
            setLoaded((l) => (l ? {...l, proposals} : l));
        } catch {
            // The list keeps its last answer; the next full load shows the error.
        }
    }, [client]);

    useEffect(() => {
        load();
    }, [load]);

    if (error) {
        return (
            <RequestErrorNotice
                error={error}
                onRetry={() => {
                    load();
                }}
                retrying={loading}
            />
        );
    }
    if (!loaded) {
        return <p className='cockpit-muted'><FormattedMessage {...m.loading}/></p>;
    }

    const failed = (err: unknown) => {
        const e = toRequestError(err);
        setNotice({
            kind: 'error',
            text:
                e.id === ErrorIds.conflict ?
                    intl.formatMessage(m.templateConflict) :
                    intl.formatMessage(m.actionFailed, {message: errorText(intl, e)}),
        });
    };

    const save = async (definition: TemplateDefinition) => {
        setSaving(true);
        setNotice(null);
        try {
            const saved =
                editing === 'new' || editing === null ?
                    await client.createTemplate(definition) :
                    await client.updateTemplate(editing.id, editing.version, definition);
            setLoaded((l) => (l ? {...l, templates: [...l.templates.filter((t) => t.id !== saved.id), saved]} : l));
            setEditing(null);
            setNotice({kind: 'ok', text: intl.formatMessage(m.saved, {name: saved.definition.name})});
        } catch (err) {
            failed(err);
        } finally {
            setSaving(false);
        }
    };

    const remove = async (template: Template) => {
        setNotice(null);
        try {
            await client.deleteTemplate(template.id, template.version);
            setLoaded((l) => (l ? {...l, templates: l.templates.filter((t) => t.id !== template.id)} : l));
            setConfirmDelete(null);
        } catch (err) {
            setConfirmDelete(null);
            failed(err);
        }
    };

    const templates = [...loaded.templates].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
    return (
        <div className='cockpit-templates'>
            <style>{templatesCss}</style>
            <AdminPanel
                title={m.templatesTitle}
                subtitle={m.templatesSubtitle}
            >
                <table className='cockpit-table'>
                    <caption className='sr-only'><FormattedMessage {...m.templatesTitle}/></caption>
                    <thead>
                        <tr>
                            <th scope='col'><FormattedMessage {...m.name}/></th>
                            <th scope='col'><FormattedMessage {...m.colSets}/></th>
                            <th scope='col'><span className='sr-only'><FormattedMessage {...m.colActions}/></span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {templates.map((t) => (
                            <tr key={t.id}>
                                <th scope='row'>
                                    <span className='cockpit-templates__text'>{t.definition.name}</span>
                                    {t.starter && (
                                        <>
                                            {' '}
                                            <span className='cockpit-chip cockpit-chip--info'>
                                                <FormattedMessage {...m.starter}/>
                                            </span>
                                        </>
                                    )}
                                    {t.definition.description && (
                                        <div className='cockpit-muted cockpit-templates__text'>{t.definition.description}</div>
                                    )}
                                </th>
                                <td><TemplateSummary definition={t.definition}/></td>
                                <td className='cockpit-templates__actions'>
                                    <WriteControls>
                                        <button
                                            type='button'
                                            className='btn btn-link btn-sm'
                                            aria-label={intl.formatMessage(m.editNamed, {name: t.definition.name})}
                                            onClick={() => setEditing(t)}
                                        >
                                            <FormattedMessage {...m.edit}/>
                                        </button>
                                        <button
                                            type='button'
                                            className='btn btn-link btn-sm'
                                            aria-label={intl.formatMessage(m.proposeNamed, {name: t.definition.name})}
                                            onClick={() => {
                                                setProposedNotice(null);
                                                setProposeId(t.id);
                                            }}
                                        >
                                            <FormattedMessage {...m.propose}/>
                                        </button>
                                        <button
                                            type='button'
                                            className='btn btn-link btn-sm'
                                            aria-label={intl.formatMessage(m.deleteNamed, {name: t.definition.name})}
                                            onClick={() => setConfirmDelete(t)}
                                        >
                                            <FormattedMessage {...m.delete}/>
                                        </button>
                                    </WriteControls>
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
                {confirmDelete && (
                    <div
                        role='alertdialog'
                        aria-label={intl.formatMessage(m.deleteConfirm, {name: confirmDelete.definition.name})}
                        className='cockpit-notice cockpit-notice--warning cockpit-confirm'
                    >
                        <p>
                            <FormattedMessage
                                {...m.deleteConfirm}
                                values={{name: confirmDelete.definition.name}}
                            />
                        </p>
                        <button
                            type='button'
                            className='btn btn-danger'
                            onClick={() => {
                                remove(confirmDelete);
                            }}
                        >
                            <FormattedMessage {...m.delete}/>
                        </button>
                        <button
                            type='button'
                            className='btn btn-tertiary'
                            onClick={() => setConfirmDelete(null)}
                        >
                            <FormattedMessage {...m.cancel}/>
                        </button>
                    </div>
                )}
                {notice && (
                    <p
                        role={notice.kind === 'error' ? 'alert' : 'status'}
                        className={notice.kind === 'error' ? 'cockpit-error-text' : undefined}
                    >
                        {notice.text}
                    </p>
                )}
                {editing === null ? (
                    <div className='cockpit-toolbar cockpit-toolbar--start'>
                        <WriteControls>
                            <button
                                type='button'
                                className='btn btn-primary'
                                onClick={() => {
                                    setNotice(null);
                                    setEditing('new');
                                }}
                            >
                                <FormattedMessage {...m.newTemplate}/>
                            </button>
                        </WriteControls>
                    </div>
                ) : (
                    <TemplateEditor
                        key={editing === 'new' ? 'new' : `${editing.id}-${editing.version}`}
                        template={editing === 'new' ? null : editing}
                        busy={saving}
                        onSave={(d) => {
                            save(d);
                        }}
                        onCancel={() => setEditing(null)}
                    />
                )}
            </AdminPanel>

            <AdminPanel
                title={m.proposeTitle}
                subtitle={m.proposeSubtitle}
            >
                {templates.length === 0 ? <p className='cockpit-muted'><FormattedMessage {...m.noTemplates}/></p> : (
                    <ProposeForm
                        client={client}
                        templates={templates}
                        templateId={proposeId}
                        onProposed={(detail) => {
                            setLoaded((l) =>
                                (l ? {...l, proposals: [detail.summary, ...l.proposals.filter((p) => p.id !== detail.summary.id)]} : l),
                            );
                            setOpenProposal(detail.summary.id);
                            setProposedNotice(intl.formatMessage(m.proposed, {name: detail.summary.template_name}));
                        }}
                    />
                )}
                {proposedNotice && <p role='status'>{proposedNotice}</p>}
            </AdminPanel>

            <AdminPanel
                title={m.proposalsTitle}
                subtitle={m.proposalsSubtitle}
            >
                <div className='cockpit-toolbar'>
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        onClick={() => {
                            reloadProposals();
                        }}
                    >
                        <FormattedMessage {...m.refresh}/>
                    </button>
                </div>
                <ProposalsList
                    client={client}
                    proposals={loaded.proposals}
                    openId={openProposal}
                    onOpen={setOpenProposal}
                    onChanged={() => {
                        reloadProposals();
                    }}
                />
            </AdminPanel>

            <AdminPanel
                title={m.accessTitle}
                subtitle={m.accessSubtitle}
            >
                {loaded.credential ? (
                    <CredentialPanel
                        client={client}
                        credential={loaded.credential}
                        onChange={(credential) => setLoaded((l) => (l ? {...l, credential} : l))}
                    />
                ) : <p className='cockpit-muted'><FormattedMessage {...m.credentialUnavailable}/></p>}
            </AdminPanel>

            <AdminPanel
                title={m.delegationTitle}
                subtitle={m.delegationSubtitle}
            >
                {loaded.delegation ? (
                    <DelegationPanel
                        client={client}
                        delegation={loaded.delegation}
                        onChange={(delegation) => setLoaded((l) => (l ? {...l, delegation} : l))}
                    />
                ) : <p className='cockpit-muted'><FormattedMessage {...m.delegationUnavailable}/></p>}
            </AdminPanel>
        </div>
    );
}
