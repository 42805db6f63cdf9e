import type {ImageAction} from 'contract/branding';
import {base64ToBytes} from 'contract/bytes';

import type {Client} from '../client';
import {Client4} from '../mattermost/client4';

/**
 * What the server asked the browser to do with the brand image after a write that changed it (the
 * plugin API cannot set it): upload the bytes kept with `version`, or delete it, through the server's
 * own REST API as the signed-in admin. `unavailable`: the bytes were too large to keep.
 */
export async function carryOutImageAction(client: Client, action: ImageAction, version: number | undefined): Promise<'ok' | 'unavailable'> {
    if (action === 'upload' && version !== undefined) {
        const kept = await client.getBrandingImage(version);
        const bytes = base64ToBytes(kept.data_base64);
        const file = new File([bytes.buffer as ArrayBuffer], `brand.${kept.content_type.split('/')[1]}`, {type: kept.content_type});
        await Client4.uploadBrandImage(file);
    } else if (action === 'delete') {
        await Client4.deleteBrandImage();
    }
    return action === 'unavailable' ? 'unavailable' : 'ok';
}
