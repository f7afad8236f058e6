package connect

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/extend-inspect/extend-inspect/extend"
)

// The environment variables, named and read as Extend's CLI reads them.
const (
	EnvAPIKey      = "EXTEND_API_KEY"
	EnvBaseURL     = "EXTEND_BASE_URL"
	EnvRegion      = "EXTEND_REGION"
	EnvWorkspaceID = "EXTEND_WORKSPACE_ID"
	EnvAPIVersion  = "EXTEND_API_VERSION"
)

// DefaultAPIVersion is the version of the management API sent in
// x-extend-api-version when EXTEND_API_VERSION is not set, and the version
// an endpoint is pinned to when Options.APIVersion is empty. The two are
// separate settings that happen to share a default.
const DefaultAPIVersion = extend.V20260209

// regions are Extend's regional base URLs, in the order messages list them.
var regions = []struct{ name, baseURL string }{
	{"us", "https://api.extend.ai"},
	{"us2", "https://api.us2.extend.app"},
	{"eu", "https://api.eu1.extend.ai"},
}

// RegionNames lists the values EXTEND_REGION accepts.
func RegionNames() []string {
	names := make([]string, len(regions))
	for i, r := range regions {
		names[i] = r.name
	}
	return names
}

// ConfigFromEnv reads the client's settings from the environment through
// getenv (os.Getenv in the program, a map in tests). version is this
// tool's version, for the User-Agent. EXTEND_BASE_URL wins over
// EXTEND_REGION, and an unknown region is an error even then, as in
// Extend's CLI.
func ConfigFromEnv(getenv func(string) string, version string) (Config, error) {
	cfg := Config{
		APIKey:      extend.Secret(getenv(EnvAPIKey)),
		BaseURL:     regions[0].baseURL,
		WorkspaceID: getenv(EnvWorkspaceID),
		APIVersion:  getenv(EnvAPIVersion),
		Version:     version,
	}
	if cfg.APIKey == "" {
		return Config{}, fmt.Errorf("%s is not set: export an Extend API key (sk_…) to manage webhook endpoints", EnvAPIKey)
	}
	if name := getenv(EnvRegion); name != "" {
		base, ok := regionBaseURL(name)
		if !ok {
			return Config{}, fmt.Errorf("%s=%q is not a region: want one of %s", EnvRegion, name, strings.Join(RegionNames(), ", "))
		}
		cfg.BaseURL = base
	}
	if base := getenv(EnvBaseURL); base != "" {
		cfg.BaseURL = base
	}
	return cfg, nil
}

func regionBaseURL(name string) (string, bool) {
	for _, r := range regions {
		if r.name == name {
			return r.baseURL, true
		}
	}
	return "", false
}

// checkBaseURL accepts an absolute http or https URL without a query.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL (%s) is not a URL: want one such as %s", EnvBaseURL, regions[0].baseURL)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return "", fmt.Errorf("base URL %q (%s): want an absolute http(s) URL such as %s", u.Redacted(), EnvBaseURL, regions[0].baseURL)
	}
	return strings.TrimSuffix(raw, "/"), nil
}
