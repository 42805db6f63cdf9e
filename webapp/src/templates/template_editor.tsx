// Create or edit one role template: channel moderation per permission for members and guests,
// who becomes channel admin, and the channel header and purpose.
import React, {useId, useState} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {
    channelHeaderMaxLength,
    channelPurposeMaxLength,
    MODERATED_PERMISSIONS,
    type Template,
    type TemplateDefinition,
} from 'contract/templates';

import {templatesMessages as m} from './messages';
import {audienceApplies, definitionFrom, draftFrom, type Audience, type RuleChoice, type TemplateDraft} from './model';
import {GroupIdsPicker, UserIdsPicker} from './pickers';
import {permissionLabels} from './settings_view';

import {CockpitForm} from '../components/cockpit_form';
import {WriteControls} from '../components/read_only';

interface Props {
    /** null: a new template. */
    template: Template | null;
    busy: boolean;
    onSave: (definition: TemplateDefinition) => void;
    onCancel: () => void;
}

const choices: RuleChoice[] = ['keep', 'allow', 'deny'];
const choiceLabels = {keep: m.ruleKeep, allow: m.ruleAllow, deny: m.ruleDeny};
const audienceLabels = {members: m.members, guests: m.guests};

export function TemplateEditor({template, busy, onSave, onCancel}: Props) {
    const intl = useIntl();
    const id = useId();
    const [draft, setDraft] = useState<TemplateDraft>(() => draftFrom(template?.definition ?? null));
    const [problems, setProblems] = useState<string[]>([]);
    const update = (changes: Partial<TemplateDraft>) => setDraft((d) => ({...d, ...changes}));
    const setRule = (permission: typeof MODERATED_PERMISSIONS[number], audience: Audience, value: RuleChoice) =>
        setDraft((d) => ({...d, moderation: {...d.moderation, [permission]: {...d.moderation[permission], [audience]: value}}}));

    const save = () => {
        const result = definitionFrom(draft);
        if ('problems' in result) {
            setProblems(result.problems);
            return;
        }
        setProblems([]);
        onSave(result.definition);
    };

    const title = template ? intl.formatMessage(m.editTitle, {name: template.definition.name}) : intl.formatMessage(m.newTitle);
    return (
        <WriteControls>
            <CockpitForm
                className='cockpit-form cockpit-templates__editor'
                aria-label={title}
                onSubmit={() => {
                    save();
                }}
            >
                <h4>{title}</h4>
                <div className='cockpit-field'>
                    <label htmlFor={`${id}-name`}><FormattedMessage {...m.name}/></label>
                    <input
                        id={`${id}-name`}
                        className='form-control'
                        value={draft.name}
                        maxLength={100}
                        onChange={(e) => update({name: e.target.value})}
                    />
                </div>
                <div className='cockpit-field'>
                    <label htmlFor={`${id}-description`}><FormattedMessage {...m.description}/></label>
                    <textarea
                        id={`${id}-description`}
                        className='form-control'
                        rows={2}
                        maxLength={1000}
                        value={draft.description}
                        onChange={(e) => update({description: e.target.value})}
                    />
                </div>

                <table className='cockpit-table cockpit-templates__rules'>
                    <caption><FormattedMessage {...m.moderationTitle}/></caption>
                    <thead>
                        <tr>
                            <th scope='col'><FormattedMessage {...m.colPermission}/></th>
                            <th scope='col'><FormattedMessage {...m.members}/></th>
                            <th scope='col'><FormattedMessage {...m.guests}/></th>
                        </tr>
                    </thead>
                    <tbody>
                        {MODERATED_PERMISSIONS.map((permission) => (
                            <tr key={permission}>
                                <th scope='row'><FormattedMessage {...permissionLabels[permission]}/></th>
                                {(['members', 'guests'] as const).map((audience) => (
                                    <td key={audience}>
                                        {audienceApplies(permission, audience) ? (
                                            <select
                                                className='form-control'
                                                aria-label={intl.formatMessage(m.ruleFor, {
                                                    permission: intl.formatMessage(permissionLabels[permission]),
                                                    audience: intl.formatMessage(audienceLabels[audience]),
                                                })}
                                                value={draft.moderation[permission][audience]}
                                                onChange={(e) => setRule(permission, audience, e.target.value as RuleChoice)}
                                            >
                                                {choices.map((c) => (
                                                    <option
                                                        key={c}
                                                        value={c}
                                                    >
                                                        {intl.formatMessage(choiceLabels[c])}
                                                    </option>
                                                ))}
                                            </select>
                                        ) : (
                                            <span className='cockpit-muted'><FormattedMessage {...m.notForGuests}/></span>
                                        )}
                                    </td>
                                ))}
                            </tr>
                        ))}
                    </tbody>
                </table>

                <h5 className='cockpit-task__subhead'><FormattedMessage {...m.channelAdminsTitle}/></h5>
                <UserIdsPicker
                    ids={draft.adminUserIds}
                    onChange={(adminUserIds) => update({adminUserIds})}
                />
                <GroupIdsPicker
                    ids={draft.adminGroupIds}
                    onChange={(adminGroupIds) => update({adminGroupIds})}
                />
                <div className='cockpit-check-row'>
                    <input
                        id={`${id}-creator`}
                        type='checkbox'
                        checked={draft.channelCreator}
                        onChange={(e) => update({channelCreator: e.target.checked})}
                    />
                    <label htmlFor={`${id}-creator`}><FormattedMessage {...m.channelCreator}/></label>
                </div>

                <h5 className='cockpit-task__subhead'><FormattedMessage {...m.propertiesTitle}/></h5>
                {([
                    ['header', 'setHeader', m.setHeader, m.fieldHeader, channelHeaderMaxLength],
                    ['purpose', 'setPurpose', m.setPurpose, m.fieldPurpose, channelPurposeMaxLength],
                ] as const).map(([field, flag, setLabel, label, max]) => (
                    <div
                        key={field}
                        className='cockpit-field'
                    >
                        <div className='cockpit-check-row'>
                            <input
                                id={`${id}-${flag}`}
                                type='checkbox'
                                checked={draft[flag]}
                                onChange={(e) => update({[flag]: e.target.checked})}
                            />
                            <label htmlFor={`${id}-${flag}`}><FormattedMessage {...setLabel}/></label>
                        </div>
                        {draft[flag] && (
                            <>
                                <label htmlFor={`${id}-${field}`}><FormattedMessage {...label}/></label>
                                <textarea
                                    id={`${id}-${field}`}
                                    className='form-control'
                                    rows={2}
                                    maxLength={max}
                                    value={draft[field]}
                                    onChange={(e) => update({[field]: e.target.value})}
                                />
                            </>
                        )}
                    </div>
                ))}

                {problems.length > 0 && (
                    <div
                        role='alert'
                        className='cockpit-notice cockpit-notice--error'
                    >
                        <strong><FormattedMessage {...m.fixProblems}/></strong>
                        <ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>
                    </div>
                )}
                <div className='cockpit-form__buttons'>
                    <button
                        type='submit'
                        className='btn btn-primary'
                        disabled={busy}
                    >
                        <FormattedMessage {...(busy ? m.saving : m.saveTemplate)}/>
                    </button>
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        onClick={onCancel}
                        disabled={busy}
                    >
                        <FormattedMessage {...m.cancel}/>
                    </button>
                </div>
            </CockpitForm>
        </WriteControls>
    );
}
