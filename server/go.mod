module github.com/onboarding-cockpit/onboarding-cockpit/server

go 1.26.0

require (
	github.com/dlclark/regexp2/v2 v2.5.2 // indirect
	github.com/dop251/goja v0.0.0-20260917113740-793a2a65c13b // indirect
	github.com/go-sourcemap/sourcemap v2.1.3+incompatible // indirect
	github.com/google/pprof v0.0.0-20230207041349-798e818bf904 // indirect
	github.com/mattermost/mattermost/server/public v0.1.22-0.20260113165922-8e4cadbc88ee // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	golang.org/x/text v0.30.0 // indirect
)
