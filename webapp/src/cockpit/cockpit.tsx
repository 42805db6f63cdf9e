import React, {useId, useRef, useState, type KeyboardEvent} from 'react';
import {FormattedMessage, useIntl} from 'react-intl';

import {EnsureIntl} from '../components/ensure_intl';

import {cockpitMessages} from './messages';
import {cockpitCss} from './styles';
import {tabs as defaultTabs} from './tabs';
import type {CockpitTab} from './types';

export interface CockpitProps {
    /**
     * `setting`: inside the plugin's settings page (the console already draws the page header);
     * `page`: a whole System Console page of its own (registerAdminConsolePlugin).
     */
    variant: 'setting' | 'page';
    tabs?: readonly CockpitTab[];
}

export function Cockpit(props: CockpitProps) {
    return (
        <EnsureIntl>
            <CockpitBody {...props}/>
        </EnsureIntl>
    );
}

function CockpitBody({variant, tabs = defaultTabs}: CockpitProps) {
    const body = (
        <div className='cockpit'>
            <style>{cockpitCss}</style>
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
        case 'ArrowRight': next = (index + 1) % tabs.length; break;
        case 'ArrowLeft': next = (index - 1 + tabs.length) % tabs.length; break;
        case 'Home': next = 0; break;
        case 'End': next = tabs.length - 1; break;
        default: return;
        }
        e.preventDefault();
        setSelectedId(tabs[next].id);
        buttons.current[next]?.focus();
    };

    const {Panel} = selected;
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
                <Panel key={selected.id}/>
            </div>
        </>
    );
}

/** Registered with registerAdminConsoleCustomSetting: receives the custom-setting props and needs none of them. */
export function CockpitSetting() {
    return <Cockpit variant='setting'/>;
}

/** Rendered as a System Console page through registerAdminConsolePlugin. */
export function CockpitPage() {
    return <Cockpit variant='page'/>;
}
