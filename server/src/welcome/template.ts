// The welcome DM: a markdown template with {{variables}}. Values come from user-controlled fields
// (names, team and channel display names), so each is escaped before it is put into the markdown:
// it renders as the literal text and cannot become a link, an image, a mention, a heading or a table.

export interface WelcomeVariables {
    first_name: string;
    username: string;
    team: string;
    channels: string;
    help_link: string;
    wave: string;
}

export const welcomeVariableNames: ReadonlyArray<keyof WelcomeVariables> = ['first_name', 'username', 'team', 'channels', 'help_link', 'wave'];

/**
 * Escapes markdown: every ASCII punctuation a Markdown/Mattermost construct starts with gets a
 * backslash; `@` becomes the full-width ＠ (a backslash does not stop Mattermost's mention parser,
 * and `@channel` in a name must not notify anyone); line breaks become spaces.
 */
export function escapeMarkdown(value: string): string {
    return value
        .replace(/[\r\n\t]+/g, ' ')
        .replace(/[\\`*_{}[\]()#+\-.!|<>~:&=$]/g, (char) => `\\${char}`)
        .replace(/@/g, '＠');
}

/** A help link is shown as given only when it is a plain http(s) URL; anything else is escaped text. */
function helpLink(value: string): string {
    const trimmed = value.trim();
    if (/^https?:\/\/[^\s<>()[\]]+$/i.test(trimmed)) {
        return `<${trimmed}>`;
    }
    return escapeMarkdown(trimmed);
}

/** Replaces {{name}} (spaces allowed inside the braces); unknown names are left as written. */
export function renderWelcome(template: string, variables: WelcomeVariables): string {
    return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => {
        if (!(welcomeVariableNames as readonly string[]).includes(name)) {
            return whole;
        }
        const value = variables[name as keyof WelcomeVariables];
        return name === 'help_link' ? helpLink(value) : escapeMarkdown(value);
    });
}
