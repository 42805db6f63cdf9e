import React, {Component, type ErrorInfo, type ReactNode} from 'react';
import {defineMessages, FormattedMessage} from 'react-intl';

import {manifest} from 'contract/manifest';

import {AdminPanel} from './admin_panel';

const messages = defineMessages({
    title: {id: 'cockpit.crash.title', defaultMessage: 'This part of the cockpit stopped working'},
    subtitle: {
        id: 'cockpit.crash.subtitle',
        defaultMessage: 'The rest of the page still works. Reload this part to try again; if it fails again, tell your Mattermost admin what the error says.',
    },
    error: {id: 'cockpit.crash.error', defaultMessage: 'Error: {message}'},
    reload: {id: 'cockpit.crash.reload', defaultMessage: 'Reload'},
});

interface Props {
    children: ReactNode;
}

interface State {
    error: Error | null;

    /** Bumped by Reload: a new key mounts the children afresh, with fresh state. */
    attempt: number;
}

/**
 * Keeps a crash in one cockpit view inside that view. Without it a render error unmounts everything up
 * to the host's own boundary: on the plugin settings page that is the whole System Console page. Needs
 * an IntlProvider above it (EnsureIntl).
 */
export class ErrorBoundary extends Component<Props, State> {
    override state: State = {error: null, attempt: 0};

    static getDerivedStateFromError(error: unknown): Partial<State> {
        return {error: error instanceof Error ? error : new Error(String(error))};
    }

    override componentDidCatch(error: Error, info: ErrorInfo): void {
        // eslint-disable-next-line no-console -- the browser console is where a plugin's crash report goes; the page shows the fallback.
        console.error(`[${manifest.id}] a cockpit view crashed`, error, info.componentStack);
    }

    private reload = () => {
        this.setState((s) => ({error: null, attempt: s.attempt + 1}));
    };

    override render() {
        const {error, attempt} = this.state;
        if (!error) {
            return <React.Fragment key={attempt}>{this.props.children}</React.Fragment>;
        }
        return (
            <div role='alert'>
                <AdminPanel
                    title={messages.title}
                    subtitle={messages.subtitle}
                >
                    <p className='cockpit-crash__message'>
                        <FormattedMessage
                            {...messages.error}
                            values={{message: error.message || error.name}}
                        />
                    </p>
                    <button
                        type='button'
                        className='btn btn-primary'
                        onClick={this.reload}
                    >
                        <FormattedMessage {...messages.reload}/>
                    </button>
                </AdminPanel>
            </div>
        );
    }
}
