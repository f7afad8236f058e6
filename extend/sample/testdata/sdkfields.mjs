// sdkfields.mjs derives sdk-fields.json from the type definitions of Extend's
// official TypeScript SDK, so that sdk_test.go can check the
// 2026-02-09 samples field for field without network access in CI.
//
// Regenerate (needs node and the npm registry; the package is not vendored):
//
//	cd "$(mktemp -d)" && npm pack extend-ai && tar xzf extend-ai-*.tgz
//	node /path/to/extend/sample/testdata/sdkfields.mjs "$PWD/package" > /path/to/extend/sample/testdata/sdk-fields.json
//
// It reads the Fern-generated .d.ts files (one declaration per line, fields
// one per line) and keeps only the types reachable from the webhook event
// union and the SDK's signed-URL event.
import fs from "node:fs";
import path from "node:path";

const pkgDir = process.argv[2];
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
const typesDir = path.join(pkgDir, "api/types");
const files = fs.readdirSync(typesDir).filter((f) => f.endsWith(".d.ts") && f !== "index.d.ts")
	.map((f) => path.join(typesDir, f));
files.push(path.join(pkgDir, "wrapper/webhooks/Webhooks.d.ts"));

const decls = {}; // name -> {kind: "object", fields, bases} | {kind: "alias", expr} | {kind: "enum", values}
const clean = (t) => t.replace(/Extend\./g, "").trim();

for (const file of files) {
	const src = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
	let cur = null, ns = null, enumName = null;
	for (const raw of src.split("\n")) {
		const line = raw.trim();
		let m;
		if (!line) continue;
		if ((m = line.match(/^export declare namespace (\w+) \{$/))) { ns = m[1]; continue; }
		if ((m = line.match(/^(?:export )?interface (\w+)(?: extends ([\w., ]+))? \{$/))) {
			const name = ns ? `${ns}.${m[1]}` : m[1];
			cur = decls[name] = { kind: "object", fields: {}, bases: m[2] ? m[2].split(",").map(clean) : [] };
			continue;
		}
		if ((m = line.match(/^export declare const (\w+): \{$/))) { enumName = m[1]; decls[enumName] = { kind: "enum", values: [] }; continue; }
		if (enumName && (m = line.match(/^readonly \w+: "([^"]*)";$/))) { decls[enumName].values.push(m[1]); continue; }
		if ((m = line.match(/^export type (\w+) = (.*);$/))) {
			if (!m[2].startsWith("(typeof ")) decls[m[1]] = { kind: "alias", expr: clean(m[2]) };
			continue;
		}
		if (cur && (m = line.match(/^"?([\w:$-]+)"?(\?)?: (.*);$/))) { cur.fields[m[1]] = { type: clean(m[3]), optional: !!m[2] }; continue; }
		if (cur && line.startsWith("[key: string]: ")) { cur.indexed = true; continue; }
		if (line === "}" || line === "};") { if (cur) cur = null; else if (enumName) enumName = null; else ns = null; continue; }
		// A line this parser does not understand must not be dropped silently.
		if (cur || enumName) throw new Error(`${file}: cannot parse ${JSON.stringify(line)}`);
	}
}

// Flatten "extends": base fields first, own fields override.
function fieldsOf(name) {
	const d = decls[name];
	const out = {};
	for (const b of d.bases) Object.assign(out, fieldsOf(b));
	return Object.assign(out, d.fields);
}

// X["field"] (WebhookEventType) becomes the enum of that field's literals.
function indexed(expr) {
	const m = expr.match(/^(\w+)\["(\w+)"\]$/);
	if (!m) return null;
	const members = decls[m[1]].expr.split(" | ");
	return members.map((t) => fieldsOf(t)[m[2]].type.replace(/"/g, ""));
}

const out = { objects: {}, unions: {}, aliases: {}, enums: {} };
const seen = new Set();
const names = (expr) => expr.match(/[A-Za-z_][\w.]*/g).filter((n) => decls[n]);
function visit(name) {
	if (seen.has(name)) return;
	seen.add(name);
	const d = decls[name];
	if (d.kind === "enum") { out.enums[name] = d.values; return; }
	if (d.kind === "alias") {
		const vals = indexed(d.expr);
		if (vals) { out.enums[name] = vals; return; }
		const parts = d.expr.split(" | ");
		if (parts.length > 1 && parts.every((p) => decls[p])) out.unions[name] = parts;
		else out.aliases[name] = d.expr;
		names(d.expr).forEach(visit);
		return;
	}
	if (d.indexed) throw new Error(`${name} has an index signature; the field check cannot express it`);
	const req = {}, opt = {};
	for (const [f, { type, optional }] of Object.entries(fieldsOf(name))) {
		(optional ? opt : req)[f] = type;
		names(type).forEach(visit);
	}
	out.objects[name] = { required: req, optional: opt };
}

const events = {};
for (const member of decls.WebhookEvent.expr.split(" | ")) {
	events[fieldsOf(member).eventType.type.replace(/"/g, "")] = member;
	visit(member);
}
events.signed_data_url = "WebhookEventWithSignedUrl";
visit("WebhookEventWithSignedUrl");

const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
const doc = {
	source: {
		package: pkg.name,
		version: pkg.version,
		files: "api/types/*.d.ts, wrapper/webhooks/Webhooks.d.ts",
		generator: "extend/sample/testdata/sdkfields.mjs",
	},
	events,
	objects: sorted(out.objects),
	unions: sorted(out.unions),
	aliases: sorted(out.aliases),
	enums: sorted(out.enums),
};
// One type per line keeps the file short and its diffs readable.
const body = Object.entries(doc).map(([k, v]) =>
	`  ${JSON.stringify(k)}: {\n` + Object.entries(v).map(([n, t]) => `    ${JSON.stringify(n)}: ${JSON.stringify(t)}`).join(",\n") + "\n  }");
process.stdout.write("{\n" + body.join(",\n") + "\n}\n");
