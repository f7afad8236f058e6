package main

import (
	"fmt"
	"strings"
	"testing"
)

// delivery is a hand-made body: the shapes wait --run and --match look at,
// and nothing else.
func delivery(eventID, eventType, payload string) []byte {
	return fmt.Appendf(nil, `{"eventId":%q,"eventType":%q,"payload":%s}`, eventID, eventType, payload)
}

func TestWaitForARunOrAMatch(t *testing.T) {
	bin := buildBinary(t)
	withSecret := []string{envSecret + "=" + tailSecret}

	t.Run("--run: the run's terminal event, not its step runs", func(t *testing.T) {
		p := startWait(t, bin, withSecret, "--run", "workflow_run_mine")
		postDelivery(t, p.url, sampleOf(t, "workflow_run.step_run.processed", "workflow_run_mine"), tailSecret, 200)
		postDelivery(t, p.url, sampleOf(t, "workflow_run.completed", "workflow_run_other"), tailSecret, 200)
		postDelivery(t, p.url, sampleOf(t, "workflow_run.failed", "workflow_run_mine"), tailSecret, 200)
		if code := p.exit(t); code != waitFailed {
			t.Fatalf("exit %d, stderr %q; want %d for the run's failure", code, p.stderr.String(), waitFailed)
		}
		if rec := p.printed(t); rec.RunID != "workflow_run_mine" || rec.EventType != "workflow_run.failed" {
			t.Errorf("printed run %q %s, want workflow_run_mine's workflow_run.failed", rec.RunID, rec.EventType)
		}
	})

	t.Run("--run with a processor run's id: the end of the workflow run it joined", func(t *testing.T) {
		p := startWait(t, bin, withSecret, "--run", "exr_child")
		postDelivery(t, p.url, delivery("e1", "workflow_run.step_run.processed", `{"object":"workflow_step_run","id":"wsr_1","workflowRunId":"workflow_run_W",
			"status":"PROCESSED","step":{"object":"workflow_step","name":"Extract","type":"EXTRACT"},
			"result":{"extractRun":{"object":"extract_run","id":"exr_child","status":"PROCESSED"}}}`), tailSecret, 200)
		// processed ends a standalone extract run, not one inside a workflow run
		postDelivery(t, p.url, delivery("e2", "extract_run.processed", `{"object":"extract_run","id":"exr_child","status":"PROCESSED"}`), tailSecret, 200)
		postDelivery(t, p.url, delivery("e3", "workflow_run.completed", `{"object":"workflow_run","id":"workflow_run_W","status":"PROCESSED"}`), tailSecret, 200)
		if code := p.exit(t); code != waitMatched {
			t.Fatalf("exit %d, stderr %q", code, p.stderr.String())
		}
		if rec := p.printed(t); rec.EventID != "e3" || rec.RunID != "workflow_run_W" {
			t.Errorf("printed %s of run %q, want e3 of workflow_run_W", rec.EventID, rec.RunID)
		}
	})

	t.Run("--match: every path must hold", func(t *testing.T) {
		p := startWait(t, bin, withSecret, "--match", "payload.metadata.requestId=req-9", "--match", "payload.metadata.tenant=acme")
		body := func(id, request, tenant string) []byte {
			return delivery(id, "extract_run.processed", fmt.Sprintf(`{"object":"extract_run","id":"exr_%s","status":"PROCESSED","metadata":{"requestId":%q,"tenant":%q}}`, id, request, tenant))
		}
		postDelivery(t, p.url, body("a", "req-1", "acme"), tailSecret, 200)
		postDelivery(t, p.url, body("b", "req-9", "contoso"), tailSecret, 200)
		postDelivery(t, p.url, body("c", "req-9", "acme"), "wss_wrong", 200) // unverified: reported, not counted
		postDelivery(t, p.url, body("d", "req-9", "acme"), tailSecret, 200)
		if code := p.exit(t); code != waitMatched {
			t.Fatalf("exit %d, stderr %q", code, p.stderr.String())
		}
		if rec := p.printed(t); rec.EventID != "d" {
			t.Errorf("printed %s, want d, the verified delivery whose body holds both", rec.EventID)
		}
	})

	t.Run("--match with --type: both", func(t *testing.T) {
		p := startWait(t, bin, withSecret, "--type", "workflow_run.completed", "--match", "payload.status=PROCESSED", "--timeout", "20s")
		postDelivery(t, p.url, delivery("a", "extract_run.processed", `{"object":"extract_run","id":"exr_1","status":"PROCESSED"}`), tailSecret, 200)
		postDelivery(t, p.url, delivery("b", "workflow_run.completed", `{"object":"workflow_run","id":"workflow_run_1","status":"PROCESSED"}`), tailSecret, 200)
		if code := p.exit(t); code != waitMatched {
			t.Fatalf("exit %d, stderr %q", code, p.stderr.String())
		}
		if rec := p.printed(t); rec.EventID != "b" {
			t.Errorf("printed %s, want b", rec.EventID)
		}
	})

	t.Run("--match without = is a usage error", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "wait", "--match", "payload.id")
		if code != waitUsage || stdout != "" || !strings.Contains(stderr, `invalid argument "payload.id" for "--match" flag`) {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
}
