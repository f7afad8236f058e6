package output

// Credits is what a run cost (usage): its own credits, the total with the
// runs it started, and the breakdown by child run.
type Credits struct {
	Credits   Score
	Total     Score // totalCredits, on runs since 2026-05-14
	Breakdown []CreditLine
}

// CreditLine is one child run's share of the credits.
type CreditLine struct {
	Object, ID string // extract_run, exr_…
	Credits    float64
	Charges    []Charge
}

// Charge is one billed product of a child run.
type Charge struct {
	Product, Unit     string
	Quantity, Credits float64
	Pages             []int
}

// CreditsOf reads a payload's usage; ok is false when it has none (runs
// before 2025-10-07, legacy billing, lifecycle events). A step run has no
// usage of its own, so its processor run's is read.
func CreditsOf(payload Raw) (c Credits, ok bool) {
	p := payload.Object()
	usage := p.Get("usage")
	if !usage.IsObject() && p.Get("object").Str() == "workflow_step_run" {
		for _, run := range runsIn(payload, p) {
			if usage = run.Get("usage"); usage.IsObject() {
				break
			}
		}
	}
	if !usage.IsObject() {
		return Credits{}, false
	}
	c = Credits{Credits: scoreOf(usage.Get("credits")), Total: scoreOf(usage.Get("totalCredits"))}
	usage.Get("breakdown").Items(func(_ int, e Raw) bool {
		n, _ := e.Get("credits").Number()
		line := CreditLine{Object: e.Get("object").Str(), ID: e.Get("id").Str(), Credits: n}
		e.Get("charges").Items(func(_ int, ch Raw) bool {
			q, _ := ch.Get("quantity").Number()
			cr, _ := ch.Get("credits").Number()
			line.Charges = append(line.Charges, Charge{Product: ch.Get("product").Str(), Unit: ch.Get("unit").Str(),
				Quantity: q, Credits: cr, Pages: numbers(ch.Get("pages"))})
			return true
		})
		c.Breakdown = append(c.Breakdown, line)
		return true
	})
	return c, true
}

func numbers(list Raw) []int {
	var out []int
	list.Items(func(_ int, v Raw) bool {
		if n, ok := v.Number(); ok {
			out = append(out, int(n))
		}
		return true
	})
	return out
}
