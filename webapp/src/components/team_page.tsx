import React, {type CSSProperties, type ReactNode} from 'react';

import {EnsureIntl} from './ensure_intl';
import {ErrorBoundary} from './error_boundary';

/**
 * Props the web app passes to a registerNeedsTeamRoute component (team_controller.tsx through Pluggable):
 * the page takes the place of the channel view in the `.main-wrapper` grid and is told where with
 * `css={{gridArea: 'center'}}`.
 */
export interface TeamPageProps {
    css?: CSSProperties;
    className?: string;

    /** The user's theme; the cockpit styles read the theme's CSS variables instead. */
    theme?: unknown;
}

/**
 * The root of a team page: placed in the grid's center area (also when the host passes nothing, so it
 * never lands in the narrow sidebar column), scrolling on its own, and with a crash kept inside it.
 */
export function TeamPage({css, className, children}: TeamPageProps & {children: ReactNode}) {
    const style: CSSProperties = {gridArea: 'center', minWidth: 0, minHeight: 0, overflowY: 'auto', ...css};
    return (
        <div
            className={className ? `cockpit-team-page ${className}` : 'cockpit-team-page'}
            style={style}
        >
            <EnsureIntl>
                <ErrorBoundary>
                    {children}
                </ErrorBoundary>
            </EnsureIntl>
        </div>
    );
}
