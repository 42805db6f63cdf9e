package mmserver

import (
	_ "github.com/mattermost/mattermost/server/v8/channels/api4"
	_ "github.com/mattermost/mattermost/server/v8/channels/app"
	_ "github.com/mattermost/mattermost/server/v8/channels/store/storetest"
	_ "github.com/mattermost/mattermost/server/v8/channels/utils"
	_ "github.com/mattermost/mattermost/server/v8/config"
)
