import React, {useEffect, useRef, type FormHTMLAttributes, type ReactNode} from 'react';

export type CockpitFormProps = Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'action' | 'method' | 'target'> & {

    /** Called once per submit (a submit button's click, Enter in a field), the browser's default already prevented. */
    onSubmit: () => void;
    children?: ReactNode;
};

/**
 * Every form of the cockpit. Use it instead of `<form onSubmit>`.
 *
 * The System Console renders a plugin's custom setting inside its own settings form
 * (`<form className='form-horizontal'>` in mattermost/mattermost
 * webapp/channels/src/components/admin_console/schema_admin_settings.tsx), so the cockpit's forms are
 * forms nested in a form. Chromium dispatches the `submit` event of such a nested form to the inner
 * form's own listeners only: it never reaches the outer form or the document. React listens for
 * `submit` at its root container, so a React `onSubmit` on a nested form never runs there, and since
 * nobody calls `preventDefault` the browser may go on to submit the form itself. jsdom does let the
 * event bubble, which is why tests with React's `onSubmit` pass while the real console is broken.
 *
 * So the submit listener is a native one on the form element itself, which runs in every browser. It
 * prevents the default submission and stops propagation (where the event does bubble, e.g. jsdom or
 * another browser, the console's form must never see a cockpit submit: its handler saves the plugin
 * configuration), then calls `onSubmit`.
 */
export function CockpitForm({onSubmit, children, ...formProps}: CockpitFormProps) {
    const form = useRef<HTMLFormElement>(null);
    const handler = useRef(onSubmit);
    handler.current = onSubmit;

    useEffect(() => {
        const el = form.current;
        if (!el) {
            return undefined;
        }
        const listener = (event: Event) => {
            event.preventDefault();
            event.stopPropagation();
            handler.current();
        };
        el.addEventListener('submit', listener);
        return () => el.removeEventListener('submit', listener);
    }, []);

    return (
        <form
            {...formProps}
            ref={form}
        >
            {children}
        </form>
    );
}
