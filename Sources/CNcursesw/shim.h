// Swift cannot import curses macros or read its mutable C globals under Swift 6's
// concurrency checking, so this header re-exposes them as constants and inline functions.
#ifndef SLIPWAY_CNCURSESW_SHIM_H
#define SLIPWAY_CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#error "libncursesw headers are missing: install them with 'apt-get install libncurses-dev'"
#endif
#include <locale.h>
#include <langinfo.h>
#include <string.h>

static const attr_t slipway_attr_normal = A_NORMAL;
static const attr_t slipway_attr_bold = A_BOLD;
static const attr_t slipway_attr_reverse = A_REVERSE;
static const attr_t slipway_attr_dim = A_DIM;
static const attr_t slipway_attr_underline = A_UNDERLINE;

static inline WINDOW *slipway_stdscr(void) { return stdscr; }
static inline int slipway_lines(void) { return LINES; }
static inline int slipway_cols(void) { return COLS; }
static inline int slipway_colors(void) { return COLORS; }
static inline int slipway_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t slipway_color_pair(short pair) { return COLOR_PAIR(pair); }
static inline int slipway_max_y(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int slipway_max_x(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

static inline int slipway_key_up(void) { return KEY_UP; }
static inline int slipway_key_down(void) { return KEY_DOWN; }
static inline int slipway_key_left(void) { return KEY_LEFT; }
static inline int slipway_key_right(void) { return KEY_RIGHT; }
static inline int slipway_key_ppage(void) { return KEY_PPAGE; }
static inline int slipway_key_npage(void) { return KEY_NPAGE; }
static inline int slipway_key_home(void) { return KEY_HOME; }
static inline int slipway_key_end(void) { return KEY_END; }
static inline int slipway_key_enter(void) { return KEY_ENTER; }
static inline int slipway_key_resize(void) { return KEY_RESIZE; }
static inline int slipway_key_backspace(void) { return KEY_BACKSPACE; }
static inline int slipway_key_code_yes(void) { return KEY_CODE_YES; }
static inline int slipway_err(void) { return ERR; }

/// Adopts the locale from LANG / LC_* (curses needs it before newterm to draw UTF-8).
static inline void slipway_adopt_environment_locale(void) { setlocale(LC_ALL, ""); }

/// Whether the adopted locale encodes text as UTF-8, so symbols like ● can be drawn.
static inline int slipway_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/// Writes one cell: a single Unicode scalar with attributes and a colour pair.
static inline int slipway_put_cell(int y, int x, wchar_t ch, attr_t attrs, short pair) {
    cchar_t cell;
    wchar_t text[2] = { ch, 0 };
    setcchar(&cell, text, attrs, pair, NULL);
    return mvadd_wch(y, x, &cell);
}

#endif
