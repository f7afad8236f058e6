package extend

import (
	"slices"
	"strings"
)

// Resource is the kind of resource a webhook subscription is tied to. An
// endpoint receives "global" events through its own enabledEvents, and the
// events of one extractor, classifier, splitter or workflow through a
// subscription naming it.
type Resource string

// The resource types a subscription may name, as Extend spells them in
// resourceType.
const (
	ResourceWorkflow   Resource = "workflow"
	ResourceExtractor  Resource = "extractor"
	ResourceClassifier Resource = "classifier"
	ResourceSplitter   Resource = "splitter"
)

// resourcePrefixes maps an id prefix to its resource type, as Extend's CLI
// infers resourceType from a resource id.
var resourcePrefixes = []struct {
	prefix   string
	resource Resource
}{
	{"workflow_", ResourceWorkflow},
	{"ex_", ResourceExtractor},
	{"cl_", ResourceClassifier},
	{"spl_", ResourceSplitter},
}

// notWorkflows are ids that start with "workflow_" but name other objects:
// subscribing one is a mistake worth catching before Extend answers 404.
var notWorkflows = []string{"workflow_run_", "workflow_version_", "workflow_step_run_"}

// ResourceOf infers the resource type of a subscription's resource id from
// its prefix (workflow_, ex_, cl_, spl_). It reports false for any other id,
// including the ids of workflow runs, versions and step runs.
func ResourceOf(id string) (Resource, bool) {
	for _, p := range notWorkflows {
		if strings.HasPrefix(id, p) {
			return "", false
		}
	}
	for _, p := range resourcePrefixes {
		if strings.HasPrefix(id, p.prefix) && len(id) > len(p.prefix) {
			return p.resource, true
		}
	}
	return "", false
}

// ResourcePrefixes lists the id prefixes ResourceOf knows, for messages.
func ResourcePrefixes() []string {
	prefixes := make([]string, len(resourcePrefixes))
	for i, p := range resourcePrefixes {
		prefixes[i] = p.prefix
	}
	return prefixes
}

// subscriptionFamilies says which event families a subscription to each
// resource type carries (the Python SDK's WebhookSubscriptionEventType).
// The batch family is shared: a batch of extract, classify or split runs
// belongs to the processor that ran it.
var subscriptionFamilies = map[Resource][]string{
	ResourceWorkflow:   {"workflow_run"},
	ResourceExtractor:  {"extract_run", "batch_processor_run"},
	ResourceClassifier: {"classify_run", "batch_processor_run"},
	ResourceSplitter:   {"split_run", "batch_processor_run"},
}

// subscriptionOnly lists, per API version, the families an endpoint cannot
// enable for itself: in 2026-02-09 workflow_run.* comes only through a
// workflow subscription. The older versions' tables have no such rule: an
// endpoint pinned to them enables every type of its version.
var subscriptionOnly = map[Version][]string{
	V20260209: {"workflow_run"},
}

// EndpointTypes returns the event types of version v that an endpoint may
// list in its own enabledEvents.
func EndpointTypes(v Version) []EventType {
	return typesWhere(v, func(family string) bool {
		return !slices.Contains(subscriptionOnly[v], family)
	})
}

// SubscriptionTypes returns the event types of version v that a
// subscription to resource r carries. It is empty when v has none: the
// extractor, classifier and splitter families exist only in 2026-02-09.
func SubscriptionTypes(r Resource, v Version) []EventType {
	families := subscriptionFamilies[r]
	return typesWhere(v, func(family string) bool {
		return slices.Contains(families, family)
	})
}

func typesWhere(v Version, keep func(family string) bool) []EventType {
	var types []EventType
	for _, t := range TypesIn(v) {
		if keep(familyOf(t.Name)) {
			types = append(types, t)
		}
	}
	return types
}

// Names returns the wire names of types, in order.
func Names(types []EventType) []string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name
	}
	return names
}
