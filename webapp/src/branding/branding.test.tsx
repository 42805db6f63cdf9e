import {act, fireEvent, render, screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import {createIntl, IntlProvider} from 'react-intl';

import {Client4} from 'mattermost-redux/client';

import {defaultBrandingValues, type BrandingState, type BrandingValues, type BrandingVersion} from 'contract/branding';
import {bytesToBase64, sha256Hex, utf8Bytes} from 'contract/bytes';
import {BrandingRoutes} from 'contract/routes';

import {BrandingTab} from './branding_tab';
import {SafeMarkdown} from './markdown';
import {formatBytes, imageChangeFor, pinnedFields, prepareImage, sniffImageType, validateValues} from './model';

import en from '../i18n/en.json';
import {renderInConsole, routeFetch, type RouteAnswer} from '../test/helpers';

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

function values(overrides: Partial<BrandingValues> = {}): BrandingValues {
    return {
        ...defaultBrandingValues,
        site_name: 'Bank Chat',
        custom_description_text: 'All of the bank',
        enable_custom_brand: true,
        custom_brand_text: 'Hello',
        ...overrides,
    };
}

function state(overrides: Partial<BrandingState> = {}): BrandingState {
    return {
        values: values(),
        version: 0,
        image: {state: 'unknown'},
        license: {announcement: true},
        site_url: 'https://chat.bank.example',
        max_image_bytes: 1000,
        history_image_max_bytes: 1048576,
        ...overrides,
    };
}

function version(n: number, overrides: Partial<BrandingVersion> = {}): BrandingVersion {
    return {
        version: n,
        at: Date.UTC(2026, 10, 20),
        user_id: 'adminid',
        kind: 'apply',
        values: values(),
        image: {state: 'unknown'},
        changed: ['site_name'],
        not_applied: [],
        ...overrides,
    };
}

function setup(routes: Record<string, RouteAnswer> = {}, env: unknown = {}) {
    jest.spyOn(Client4, 'getEnvironmentConfig').mockResolvedValue(env as never);
    jest.spyOn(Client4, 'getProfilesByIds').mockResolvedValue([]);
    const upload = jest.spyOn(Client4, 'uploadBrandImage').mockResolvedValue({status: 'OK'} as never);
    const remove = jest.spyOn(Client4, 'deleteBrandImage').mockResolvedValue({status: 'OK'} as never);
    const fake = routeFetch({
        [`GET ${BrandingRoutes.branding}`]: {body: state()},
        [`GET ${BrandingRoutes.history}?page=0`]: {body: {versions: [], total: 0}},
        ...routes,
    });
    renderInConsole(<BrandingTab/>);
    return {...fake, upload, remove};
}

const desktop = () => screen.getByRole('group', {name: 'Desktop preview'});
const mobile = () => screen.getByRole('group', {name: 'Mobile preview'});

afterEach(() => jest.restoreAllMocks());

describe('form validation', () => {
    it('accepts good values and names each bad field', () => {
        expect(
            validateValues(
                values({help_link: 'https://help.example/a?b=c', support_email: 'it@bank.example', banner_color: '#A1b2C3'}),
            ),
        ).toEqual({});
        expect(
            Object.keys(
                validateValues(
                    values({
                        site_name: '',
                        banner_color: 'red',
                        banner_text_color: '#12345',
                        help_link: 'javascript:alert(1)',
                        about_link: 'ftp://x.example',
                        privacy_policy_link: 'https://x.example/<script>',
                        support_email: 'nobody',
                    }),
                ),
            ).sort(),
        ).toEqual([
            'about_link',
            'banner_color',
            'banner_text_color',
            'help_link',
            'privacy_policy_link',
            'site_name',
            'support_email',
        ]);
        expect(validateValues(values({site_name: 'x'.repeat(31)}))).toHaveProperty('site_name');
    });

    it('reads env-pinned fields from the environment config', () => {
        expect(
            [
                ...pinnedFields({
                    TeamSettings: {SiteName: true},
                    SupportSettings: {HelpLink: true, SupportEmail: false},
                    SqlSettings: {DataSource: true},
                }),
            ].sort(),
        ).toEqual(['help_link', 'site_name']);
        expect(pinnedFields(null).size).toBe(0);
    });

    it('checks brand images by content and size before any upload', async () => {
        expect(sniffImageType(png)).toBe('image/png');
        expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
        expect(sniffImageType(utf8Bytes('GIF89a'))).toBe('image/gif');
        expect(sniffImageType(utf8Bytes('<svg/>'))).toBeNull();

        const ok = await prepareImage(new File([png], 'logo.png', {type: 'image/png'}), 1000);
        expect(ok).toMatchObject({
            image: {type: 'image/png', size: png.length, sha256: sha256Hex(png), base64: bytesToBase64(png), keptForRollback: true},
        });
        expect(imageChangeFor('image' in ok ? ok.image : null)).toEqual({
            kind: 'uploaded',
            sha256: sha256Hex(png),
            content_type: 'image/png',
            size: png.length,
            data_base64: bytesToBase64(png),
        });
        expect(await prepareImage(new File([png], 'logo.png', {type: 'image/png'}), 5)).toEqual({
            problem: {kind: 'tooLarge', size: png.length, max: 5},
        });
        expect(await prepareImage(new File(['not an image'], 'logo.png', {type: 'image/png'}), 1000)).toEqual({
            problem: {kind: 'notImage', type: 'image/png'},
        });
        expect(await prepareImage(new File([png], 'logo.svg', {type: 'image/svg+xml'}), 1000)).toEqual({
            problem: {kind: 'notImage', type: 'image/svg+xml'},
        });
        expect(await prepareImage(new File([], 'empty.png', {type: 'image/png'}), 1000)).toEqual({problem: {kind: 'empty'}});
        expect(imageChangeFor('delete')).toEqual({kind: 'deleted'});
    });
});

describe('safe markdown', () => {
    it('renders HTML in brand text as inert text', () => {
        const {container} = render(<SafeMarkdown text={'<img src=x onerror=alert(1)> **bold** _it_ `code`\n\n<script>alert(2)</script>'}/>);
        expect(container.querySelector('img')).toBeNull();
        expect(container.querySelector('script')).toBeNull();
        expect(container).toHaveTextContent('<img src=x onerror=alert(1)> bold it code');
        expect(container.querySelector('strong')).toHaveTextContent('bold');
        expect(container.querySelector('em')).toHaveTextContent('it');
        expect(container.querySelector('code')).toHaveTextContent('code');
        expect(container.querySelectorAll('p')).toHaveLength(2);
    });
});

describe('Branding tab', () => {
    it('previews as you type, at desktop and mobile widths, without writing anything', async () => {
        const {all} = setup();
        const name = await screen.findByRole('textbox', {name: 'Site name'});
        expect(within(desktop()).getByRole('heading', {name: 'Bank Chat'})).toBeInTheDocument();

        await userEvent.clear(name);
        await userEvent.type(name, 'Bank Chat Live');
        expect(within(desktop()).getByRole('heading', {name: 'Bank Chat Live'})).toBeInTheDocument();
        expect(within(mobile()).getByRole('heading', {name: 'Bank Chat Live'})).toBeInTheDocument();

        const brandText = screen.getByRole('textbox', {name: 'Custom brand text (Markdown)'});
        await userEvent.clear(brandText);
        fireEvent.change(brandText, {target: {value: '<img src=x onerror=alert(1)>'}});
        expect(within(desktop()).getByTestId('preview-brand-text')).toHaveTextContent('<img src=x onerror=alert(1)>');

        // No image is known yet (none asked of the server, no 404), and the text made none.
        expect(within(desktop()).queryByRole('img')).toBeNull();
        expect(desktop().querySelector('[onerror]')).toBeNull();

        await userEvent.click(screen.getByRole('checkbox', {name: 'Show the announcement banner'}));
        await userEvent.type(screen.getByRole('textbox', {name: 'Banner text'}), 'Go-live on **Monday**');
        const banner = within(mobile()).getByTestId('preview-banner');
        expect(banner).toHaveTextContent('Go-live on Monday');
        expect(banner).toHaveStyle({background: '#f2a93b'});

        expect(all.filter((c) => c.method !== 'GET')).toEqual([]);
    });

    it('applies exactly the edited values with the version it was based on', async () => {
        const applied = state({version: 2, values: values({site_name: 'New Name'})});
        const {calls} = setup({
            [`POST ${BrandingRoutes.apply}`]: {body: {state: applied, applied: version(2, {values: values({site_name: 'New Name'})})}},
        });
        const name = await screen.findByRole('textbox', {name: 'Site name'});
        await userEvent.clear(name);
        await userEvent.type(name, 'New Name');
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        expect(await screen.findByText('Applied as version 2.')).toBeInTheDocument();
        expect(calls('POST', BrandingRoutes.apply)[0].body).toEqual({expected_version: 0, values: values({site_name: 'New Name'})});
    });

    it('refuses to apply with invalid fields and says which', async () => {
        const {calls} = setup();
        const link = await screen.findByRole('textbox', {name: 'Help link'});
        await userEvent.type(link, 'javascript:alert(1)');
        expect(link).toHaveAttribute('aria-invalid', 'true');
        expect(screen.getByText('Enter a link starting with https:// or http://, or leave it empty.')).toBeInTheDocument();
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        expect(screen.getByRole('alert')).toHaveTextContent('Fix the highlighted fields first.');
        expect(calls('POST', BrandingRoutes.apply)).toEqual([]);
    });

    it('shows env-pinned settings as such and does not let them be edited', async () => {
        setup({}, {TeamSettings: {SiteName: true}});
        const name = await screen.findByRole('textbox', {name: 'Site name'});
        await waitFor(() => expect(name).toBeDisabled());
        expect(name).toHaveAccessibleDescription('Set by an environment variable on the server; change it there.');
        expect(screen.getByRole('textbox', {name: 'Site description'})).toBeEnabled();
    });

    it('warns before applying a banner change without the announcement license', async () => {
        setup({[`GET ${BrandingRoutes.branding}`]: {body: state({license: {announcement: false}})}});
        await screen.findByRole('textbox', {name: 'Site name'});
        expect(screen.queryByRole('alert')).toBeNull();
        await userEvent.click(screen.getByRole('checkbox', {name: 'Show the announcement banner'}));
        expect(screen.getByRole('alert')).toHaveTextContent('needs a license with the announcement feature');
    });

    it('an oversized or non-image file is refused before upload; nothing is sent', async () => {
        const {calls, upload} = setup();
        const input = await screen.findByLabelText('Custom brand image');
        fireEvent.change(input, {target: {files: [new File([new Uint8Array(2000)], 'huge.png', {type: 'image/png'})]}});
        expect(await screen.findByRole('alert')).toHaveTextContent('The file is 2 kB; this server takes at most 1 kB');
        fireEvent.change(input, {target: {files: [new File(['MZ not an image'], 'evil.png', {type: 'image/png'})]}});
        await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('is not a PNG, JPEG or GIF image. Nothing was uploaded.'));
        expect(screen.getByRole('button', {name: 'Apply branding'})).toBeDisabled();
        expect(upload).not.toHaveBeenCalled();
        expect(calls('POST', BrandingRoutes.apply)).toEqual([]);
    });

    it('uploads a chosen image with the admin session first, then records it with its bytes', async () => {
        const {calls, upload} = setup({
            [`POST ${BrandingRoutes.apply}`]: {body: {state: state({version: 2}), applied: version(2)}},
        });
        const input = await screen.findByLabelText('Custom brand image');
        const file = new File([png], 'logo.png', {type: 'image/png'});
        fireEvent.change(input, {target: {files: [file]}});
        expect(await within(desktop()).findByRole('img', {name: 'Brand image'})).toHaveAttribute(
            'src',
            `data:image/png;base64,${bytesToBase64(png)}`,
        );
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        await screen.findByText('Applied as version 2.');
        expect(upload).toHaveBeenCalledWith(file);
        expect(calls('POST', BrandingRoutes.apply)[0].body.image).toEqual({
            kind: 'uploaded',
            sha256: sha256Hex(png),
            content_type: 'image/png',
            size: png.length,
            data_base64: bytesToBase64(png),
        });
    });

    it('when the server refuses the image upload, the settings are not applied', async () => {
        const {calls, upload} = setup();
        upload.mockRejectedValue(new Error('Unable to upload image. File is too large.'));
        const input = await screen.findByLabelText('Custom brand image');
        fireEvent.change(input, {target: {files: [new File([png], 'logo.png', {type: 'image/png'})]}});
        await within(desktop()).findByRole('img', {name: 'Brand image'});
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        expect(await screen.findByRole('alert')).toHaveTextContent(
            'The server refused the brand image: Unable to upload image. File is too large.. Nothing was changed.',
        );
        expect(calls('POST', BrandingRoutes.apply)).toEqual([]);
    });

    it('a stale version answers 409: says so and offers a reload', async () => {
        setup({
            [`POST ${BrandingRoutes.apply}`]: {status: 409, body: {error: {id: 'cockpit.state.version_conflict', message: 'changed'}}},
        });
        const name = await screen.findByRole('textbox', {name: 'Site name'});
        await userEvent.type(name, '!');
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        expect(await screen.findByRole('alert')).toHaveTextContent('Someone else changed the branding meanwhile.');
        expect(screen.getByRole('button', {name: 'Reload'})).toBeInTheDocument();
    });

    it('rolls back in one click and re-uploads the image kept with that version', async () => {
        const kept = {sha256: sha256Hex(png), content_type: 'image/png', data_base64: bytesToBase64(png)};
        const {calls, upload} = setup({
            [`GET ${BrandingRoutes.branding}`]: {body: state({version: 3})},
            [`GET ${BrandingRoutes.history}?page=0`]: {
                body: {versions: [version(3), version(2), version(1, {kind: 'baseline'})], total: 3},
            },
            [`POST ${BrandingRoutes.rollback}`]: {
                body: {
                    state: state({version: 4}),
                    applied: version(4, {kind: 'rollback', rolled_back_from: 2}),
                    image_action: 'upload',
                    image_version: 2,
                },
            },
            [`GET ${BrandingRoutes.image(2)}`]: {body: kept},
        });
        const history = await screen.findByRole('region', {name: 'History'});
        await within(history).findByRole('listitem', {name: 'Version 3'});
        expect(within(within(history).getByRole('listitem', {name: 'Version 3'})).queryByRole('button')).toBeNull();
        expect(within(history).getByRole('listitem', {name: 'Version 1'})).toHaveTextContent('Before the cockpit');
        await userEvent.click(within(history).getByRole('button', {name: 'Roll back to version 2'}));
        expect(await screen.findByText('Rolled back to version 2 (now version 4).')).toBeInTheDocument();
        expect(calls('POST', BrandingRoutes.rollback)[0].body).toEqual({expected_version: 3, version: 2});
        expect(upload).toHaveBeenCalledTimes(1);
        const file = upload.mock.calls[0][0] as File;
        expect(file.type).toBe('image/png');
        expect(file.size).toBe(png.length);
    });

    it('offers the client presets as downloads', async () => {
        const {calls} = setup({[`GET ${BrandingRoutes.preset('windows-reg')}`]: {text: 'Windows Registry Editor Version 5.00'}});
        const createObjectURL = jest.fn(() => 'blob:x');
        Object.assign(URL, {createObjectURL, revokeObjectURL: jest.fn()});
        const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
        await userEvent.click(await screen.findByRole('button', {name: 'Download Windows desktop app (.reg)'}));
        await waitFor(() => expect(click).toHaveBeenCalled());
        expect(calls('GET', BrandingRoutes.preset('windows-reg'))).toHaveLength(1);
        expect(screen.getByRole('button', {name: 'Download macOS desktop app (.mobileconfig)'})).toBeEnabled();
    });
});

// Keep en.json imported so a missing message fails loudly in this file too.
test('every branding message is translated', () => {
    const ids = Object.keys(en).filter((id) => id.startsWith('cockpit.branding.'));
    expect(ids.length).toBeGreaterThan(50);
    render((
        <IntlProvider
            locale='en'
            messages={en}
        ><span/></IntlProvider>
    ));
    act(() => undefined);
});

test('the preview shows the server brand image only when the cockpit recorded one', async () => {
    setup({
        [`GET ${BrandingRoutes.branding}`]: {
            body: state({image: {state: 'set', sha256: 'a'.repeat(64), content_type: 'image/png', size: 10}}),
        },
    });
    const img = await within(await screen.findByRole('group', {name: 'Desktop preview'})).findByRole('img', {name: 'Brand image'});
    expect(img.getAttribute('src')).toMatch(/\/api\/v4\/brand\/image\?t=\d+$/);
});

it('writes file sizes in the admin\'s locale', () => {
    const size = 1.5 * 1024 * 1024;
    expect(formatBytes(size, createIntl({locale: 'en'}))).toBe('1.5 MB');
    expect(formatBytes(size, createIntl({locale: 'de'}))).toBe('1,5 MB');
    expect(formatBytes(2 * 1024 * 1024, createIntl({locale: 'de'}))).toBe('2 MB');
    expect(formatBytes(2000, createIntl({locale: 'en'}))).toBe('2 kB');
});
