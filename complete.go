package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/themes"
)

// valueCompletions completes the values of the flags of these names, on
// whichever command has them. Each value may carry a description after a
// tab, which the shells that can show it do.
var valueCompletions = map[string]cobra.CompletionFunc{
	"theme":       fixedValues(themeValues),
	"format":      fixedValues(formatValues),
	"api-version": fixedValues(versionValues),
	"scenario":    fixedValues(scenarioValues),
	"category":    fixedValues(categoryValues),
	"type":        completeEventTypes,
	"events":      completeEventTypes,
	"tunnel": fixedValues(func() []string {
		return []string{cobra.CompletionWithDesc(tunnelNgrok, "an ngrok tunnel, authenticated with $NGROK_AUTHTOKEN")}
	}),
}

// registerCompletions gives every flag of the finished command tree that
// valueCompletions names its completion. It runs once the tree is built,
// so a flag added to any command later completes without more wiring.
func registerCompletions(cmd *cobra.Command) {
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		complete, ok := valueCompletions[f.Name]
		if _, done := cmd.GetFlagCompletionFunc(f.Name); ok && !done {
			_ = cmd.RegisterFlagCompletionFunc(f.Name, complete) // cannot fail: the flag exists and has none
		}
	})
	for _, sub := range cmd.Commands() {
		registerCompletions(sub)
	}
}

// fixedValues completes from a list that does not depend on the command
// line, and never with file names.
func fixedValues(values func() []string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values(), cobra.ShellCompDirectiveNoFileComp
	}
}

func themeValues() []string {
	var out []string
	for _, t := range themes.All() {
		out = append(out, cobra.CompletionWithDesc(t.Name, t.Description))
	}
	return out
}

func formatValues() []string {
	var out []string
	for _, f := range export.Formats {
		out = append(out, f.String())
	}
	return out
}

func versionValues() []string {
	var out []string
	for _, v := range extend.Versions {
		out = append(out, string(v))
	}
	return out
}

func categoryValues() []string {
	var out []string
	for _, c := range extend.Categories {
		out = append(out, c.String())
	}
	return out
}

func scenarioValues() []string {
	out := []string{cobra.CompletionWithDesc("list", "name the scenarios")}
	for _, s := range sample.Scenarios() {
		out = append(out, cobra.CompletionWithDesc(s.Name, s.Description))
	}
	return out
}

// completeEventTypes completes an event type from the catalogue: a
// positional argument of send, or the last item of a comma-separated
// --type or --events value.
func completeEventTypes(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	done := toComplete[:strings.LastIndex(toComplete, ",")+1]
	var out []string
	for _, t := range extend.Catalogue() {
		if strings.HasPrefix(done+t.Name, toComplete) {
			out = append(out, cobra.CompletionWithDesc(done+t.Name, t.Meaning))
		}
	}
	directive := cobra.ShellCompDirectiveNoFileComp
	if done != "" {
		directive |= cobra.ShellCompDirectiveNoSpace // another item may follow
	}
	return out, directive
}

// completionHelp replaces the help of cobra's completion commands, whose
// install lines are wider than 80 columns once they name extend-inspect.
var completionHelp = map[string]string{
	"completion": `completion prints a script that teaches your shell to complete
extend-inspect's commands, flags and their values (themes, export formats,
categories, API versions, event types, scenarios). See each shell's help for
where the script goes; docs/guide.md says more.`,
	"bash": `Print the completion script for bash (it needs the bash-completion
package).

In this shell:
  source <(extend-inspect completion bash)
In every new shell, on Linux:
  extend-inspect completion bash > /etc/bash_completion.d/extend-inspect
on macOS:
  extend-inspect completion bash \
    > "$(brew --prefix)/etc/bash_completion.d/extend-inspect"`,
	"zsh": `Print the completion script for zsh. If completion is not enabled yet:
  echo "autoload -U compinit; compinit" >> ~/.zshrc

In this shell:
  source <(extend-inspect completion zsh)
In every new shell, on Linux:
  extend-inspect completion zsh > "${fpath[1]}/_extend-inspect"
on macOS:
  extend-inspect completion zsh \
    > "$(brew --prefix)/share/zsh/site-functions/_extend-inspect"`,
	"fish": `Print the completion script for fish.

In this shell:
  extend-inspect completion fish | source
In every new shell:
  extend-inspect completion fish \
    > ~/.config/fish/completions/extend-inspect.fish`,
	"powershell": `Print the completion script for PowerShell.

In this shell:
  extend-inspect completion powershell | Out-String | Invoke-Expression
In every new shell, add that line to your PowerShell profile.`,
}

// rewordCompletionHelp gives cobra's completion commands completionHelp.
func rewordCompletionHelp(root *cobra.Command) {
	comp, _, err := root.Find([]string{"completion"})
	if err != nil || comp == root {
		return
	}
	for _, cmd := range append(comp.Commands(), comp) {
		if long, ok := completionHelp[cmd.Name()]; ok {
			cmd.Long = long
		}
	}
}
