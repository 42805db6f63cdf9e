import React, {useId, type ReactNode} from 'react';
import {FormattedMessage, type MessageDescriptor} from 'react-intl';

/** A System Console `.AdminPanel` section; a landmark named by its title. */
export function AdminPanel({title, subtitle, children}: {title: MessageDescriptor; subtitle?: MessageDescriptor; children: ReactNode}) {
    const titleId = useId();
    return (
        <section
            className='AdminPanel clearfix cockpit-panel'
            aria-labelledby={titleId}
        >
            <div className='header'>
                <div>
                    <h3 id={titleId}><FormattedMessage {...title}/></h3>
                    {subtitle && <div className='mt-2'><FormattedMessage {...subtitle}/></div>}
                </div>
            </div>
            <div className='AdminPanel__content cockpit-panel__content'>
                {children}
            </div>
        </section>
    );
}

/** Label/value rows inside a panel. Values are rendered as text, never as HTML. */
export function Facts({rows}: {rows: Array<[MessageDescriptor, ReactNode]>}) {
    return (
        <dl className='cockpit-facts'>
            {rows.map(([label, value]) => (
                <div
                    key={label.id}
                    className='cockpit-facts__row'
                >
                    <dt><FormattedMessage {...label}/></dt>
                    <dd>{value}</dd>
                </div>
            ))}
        </dl>
    );
}
