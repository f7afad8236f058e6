package themes

import (
	"image/color"
	"math"

	"github.com/alecthomas/chroma/v2"
)

// minContrast is the contrast ratio every token colour has against the
// theme's background: WCAG's level AA for text.
const minContrast = 4.5

// legible returns style with every token colour that is hard to read on bg
// moved towards text until it is not. Chroma's styles are made for their
// own background, not the terminal's: hrdark, for one, gives its
// Background entry a navy foreground, which every token without a colour
// of its own (JSON's punctuation) inherits, navy on black.
func legible(style *chroma.Style, bg, text color.Color) *chroma.Style {
	b := style.Builder()
	for t := range chroma.StandardTypes {
		if t < 0 { // Background, line numbers and the like: not tokens
			continue
		}
		e := style.Get(t)
		if !e.Colour.IsSet() {
			continue
		}
		on := bg
		if e.Background.IsSet() {
			on = chromaRGB(e.Background)
		}
		if contrast(chromaRGB(e.Colour), on) >= minContrast {
			continue
		}
		e.Colour = readable(e.Colour, on, text)
		e.NoInherit = true
		b.AddEntry(t, e)
	}
	out, err := b.Build()
	if err != nil {
		return style
	}
	return out
}

// readable mixes c with text, a tenth at a time, until it reads on bg.
func readable(c chroma.Colour, bg, text color.Color) chroma.Colour {
	tr, tg, tb := rgb8(text)
	for step := 1; step <= 10; step++ {
		f := float64(step) / 10
		mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a)*(1-f) + float64(b)*f)) }
		m := chroma.NewColour(mix(c.Red(), tr), mix(c.Green(), tg), mix(c.Blue(), tb))
		if contrast(chromaRGB(m), bg) >= minContrast {
			return m
		}
	}
	return chroma.NewColour(tr, tg, tb)
}

// contrast is the WCAG contrast ratio of two colours, from 1 to 21.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// luminance is a colour's relative luminance (WCAG 2).
func luminance(c color.Color) float64 {
	r, g, b := rgb8(c)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func rgb8(c color.Color) (uint8, uint8, uint8) {
	r, g, b, _ := c.RGBA()
	return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
}

func chromaRGB(c chroma.Colour) color.Color {
	return color.RGBA{R: c.Red(), G: c.Green(), B: c.Blue(), A: 0xff}
}
