package ui

import (
	"os/exec"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
)

func TestODashboardOpensOnlyAnHTTPSLinkFromThePayload(t *testing.T) {
	cases := []struct {
		name, body, opened, footer string
	}{
		{"current", `{"eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"workflow_run_1","dashboardUrl":"https://dashboard.extend.ai/runs/workflow_run_1"}}`,
			"https://dashboard.extend.ai/runs/workflow_run_1", "Opened https://dashboard.extend.ai/runs/workflow_run_1 in the browser."},
		{"legacy url", `{"eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"workflow_run_2","url":"https://dashboard.extend.ai/runs/workflow_run_2"}}`,
			"https://dashboard.extend.ai/runs/workflow_run_2", "Opened https://dashboard.extend.ai/runs/workflow_run_2"},
		{"not https", `{"eventType":"workflow_run.completed","payload":{"dashboardUrl":"file:///etc/passwd"}}`, "", "names no dashboard page"},
		{"an option", `{"eventType":"workflow_run.completed","payload":{"dashboardUrl":"--help"}}`, "", "names no dashboard page"},
		{"controls", `{"eventType":"workflow_run.completed","payload":{"dashboardUrl":"https://x.example/\u001b]52;c;aGk=\u0007"}}`, "", "names no dashboard page"},
		{"none", `{"eventType":"workflow.deployed","payload":{"id":"workflow_1"}}`, "", "names no dashboard page"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := store.New(10, 0)
			m := newTestModel(t, s, 120, 40)
			var opened []string
			m.cfg.OpenURL = func(link string) error { opened = append(opened, link); return nil }
			s.Append(newEventMaker().raw([]byte(c.body)))
			pull(m)
			_, cmd := m.Update(keyPress("O"))
			run(m, cmd)
			if c.opened == "" && len(opened) > 0 || c.opened != "" && (len(opened) != 1 || opened[0] != c.opened) {
				t.Errorf("opened %q, want %q", opened, c.opened)
			}
			wantScreen(t, m, c.footer)
		})
	}
}

func TestODashboardWithoutABrowserSaysSoShortly(t *testing.T) {
	s := store.New(10, 0)
	m := newTestModel(t, s, 120, 40)
	m.cfg.OpenURL = func(string) error { return &exec.Error{Name: "xdg-open,x-www-browser", Err: exec.ErrNotFound} }
	s.Append(newEventMaker().raw([]byte(`{"eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"workflow_run_1","dashboardUrl":"https://dashboard.extend.ai/workflows/workflow_Xj9kQ2mN7pL4vR8sT1wY/runs/workflow_run_Ab3Cd5Ef7Gh9Ij1Kl3Mn"}}`)))
	pull(m)
	_, cmd := m.Update(keyPress("O"))
	run(m, cmd)
	wantScreen(t, m, "No browser opener (xdg-open) found; y copies the payload, link included: https://dashboard.extend.ai/")
}
