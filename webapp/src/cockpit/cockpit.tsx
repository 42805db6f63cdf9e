import React, {useId, useRef, useState, type KeyboardEvent} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {cockpitMessages} from './messages';
import {GoToTabContext} from './navigation';
import {cockpitCss} from './styles';
import {tabs as defaultTabs} from './tabs';
import type {CockpitTab} from './types';

import {EnsureIntl} from '../components/ensure_intl';
import {ErrorBoundary} from '../components/error_boundary';
import {ReadOnlyNotice, ReadOnlyProvider} from '../components/read_only';
import type {CustomSettingProps} from '../types/mattermost';

export interface CockpitProps {
    /**
     * `setting`: inside the plugin's settings page (the console already draws the page header);
     * `page`: a whole System Console page of its own (registerAdminConsolePlugin).
     */
    variant: 'setting' | 'page';
    tabs?: readonly CockpitTab[];

    /** The viewer may read but not change (the console's `disabled`): write controls are disabled. */
    readOnly?: boolean;
}

export function Cockpit({readOnly = false, ...props}: CockpitProps) {
    return (
        <EnsureIntl>
            <ErrorBoundary>
                <ReadOnlyProvider readOnly={readOnly}>
                    <CockpitBody {...props}/>
                </ReadOnlyProvider>
            </ErrorBoundary>
        </EnsureIntl>
    );
}

function CockpitBody({variant, tabs = defaultTabs}: CockpitProps) {
    const body = (
        <div className='cockpit'>
            <style>{cockpitCss}</style>
            <ReadOnlyNotice/>
            <Tabs tabs={tabs}/>
        </div>
    );
    if (variant === 'setting') {
        return body;
    }
    return (
        <div className='wrapper--fixed'>
            <div className='admin-console__header'>
                <FormattedMessage {...cockpitMessages.title}/>
            </div>
            <div className='admin-console__wrapper'>
                <div className='admin-console__content'>
                    {body}
                </div>
            </div>
        </div>
    );
}

/** WAI-ARIA tabs: arrow keys / Home / End move between tabs; only the selected panel is mounted. */
function Tabs({tabs}: {tabs: readonly CockpitTab[]}) {
    const intl = useIntl();
    const baseId = useId();
    const [selectedId, setSelectedId] = useState(tabs[0]?.id);
    const buttons = useRef<Array<HTMLButtonElement | null>>([]);

    const selected = tabs.find((t) => t.id === selectedId) ?? tabs[0];
    if (!selected) {
        return null;
    }
    const tabId = (t: CockpitTab) => `${baseId}-tab-${t.id}`;
    const panelId = (t: CockpitTab) => `${baseId}-panel-${t.id}`;

    const onKeyDown = (e: KeyboardEvent, index: number) => {
        let next: number;
        switch (e.key) {
        case 'ArrowRight':
            next = (index + 1) % tabs.length;
            break;
        case 'ArrowLeft':
            next = ((index - 1) + tabs.length) % tabs.length;
            break;
        case 'Home':
            next = 0;
            break;
        case 'End':
            next = tabs.length - 1;
            break;
        default:
            return;
        }
        e.preventDefault();
        setSelectedId(tabs[next].id);
        buttons.current[next]?.focus();
    };

    const {Panel} = selected;
    const goToTab = (id: CockpitTab['id']) => {
        const index = tabs.findIndex((t) => t.id === id);
        if (index >= 0) {
            setSelectedId(id);
            buttons.current[index]?.focus();
        }
    };
    return (
        <>
            <div
                role='tablist'
                aria-label={intl.formatMessage(cockpitMessages.tabsLabel)}
                className='cockpit-tabs'
            >
                {tabs.map((t, i) => (
                    <button
                        key={t.id}
                        ref={(el) => {
                            buttons.current[i] = el;
                        }}
                        type='button'
                        role='tab'
                        id={tabId(t)}
                        className='cockpit-tab'
                        aria-selected={t === selected}
                        aria-controls={panelId(t)}
                        tabIndex={t === selected ? 0 : -1}
                        onClick={() => setSelectedId(t.id)}
                        onKeyDown={(e) => onKeyDown(e, i)}
                    >
                        <FormattedMessage {...t.title}/>
                    </button>
                ))}
            </div>
            <div
                role='tabpanel'
                id={panelId(selected)}
                aria-labelledby={tabId(selected)}
                className='cockpit-panel-body'
            >
                <ErrorBoundary key={selected.id}>
                    <GoToTabContext.Provider value={goToTab}>
                        <Panel/>
                    </GoToTabContext.Provider>
                </ErrorBoundary>
            </div>
        </>
    );
}

/**
 * Registered with registerAdminConsoleCustomSetting. Of the custom-setting props it uses `disabled`: true
 * when the viewer may read the plugin's settings but not write them (or the plugin is disabled).
 *
 * The console renders custom settings inside its own settings form (`form.form-horizontal`, whose submit
 * saves the plugin configuration), so every cockpit form is nested in it. Each is a `CockpitForm`
 * (components/cockpit_form.tsx), which handles its own submit event at the form element and stops it
 * there: the console's form never sees a cockpit submit.
 */
export function CockpitSetting({disabled = false}: Partial<CustomSettingProps>) {
    return (
        <Cockpit
            variant='setting'
            readOnly={disabled}
        />
    );
}

/**
 * Rendered as a System Console page through registerAdminConsolePlugin. SchemaAdminSettings passes
 * `disabled={isDisabled}` (no write access to the plugins section); `isDisabled` is accepted as well.
 */
export function CockpitPage({disabled = false, isDisabled = false}: {disabled?: boolean; isDisabled?: boolean}) {
    return (
        <Cockpit
            variant='page'
            readOnly={disabled || isDisabled}
        />
    );
}
