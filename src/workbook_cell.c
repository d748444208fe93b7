/*
 * workbook_cell: workbook's pure helpers, which know no archive and no
 * parser: cell references ("Tracks!C12", column letters), numbers as a
 * spreadsheet shows them, dates and times from Excel serials and ISO
 * 8601 values, what a number format code shows (a date, a time or a
 * number), and a cell's text (_xHHHH_ escapes, numbers, indexes).  Part
 * of workbook: the contract is include/blendcat/workbook.h, what the
 * other files use is in include/blendcat/workbook_internal.h.
 */
#include "blendcat/workbook.h"
#include "blendcat/workbook_internal.h"
#include "blendcat/buf.h"
#include "blendcat/normalize.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------ pure helpers */

/* Does a sheet name need quotes in a reference ('Track List'!A1)? */
static int needs_quotes(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return 1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80 && !(c == '_' || c == '.' || (c >= '0' && c <= '9') ||
				  ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			return 1;
	}
	return 0;
}

static void add_col_letters(struct buf *b, unsigned long col)
{
	char tmp[16];
	size_t n = 0;

	while (col > 0 && n < sizeof(tmp)) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	while (n > 0)
		buf_addch(b, tmp[--n]);
}

void workbook_cell_ref(struct buf *b, const char *sheet, unsigned long row, unsigned long col)
{
	const char *s;

	if (needs_quotes(sheet)) {
		buf_addch(b, '\'');
		for (s = sheet; *s; s++) {
			if (*s == '\'')
				buf_addch(b, '\'');
			buf_addch(b, *s);
		}
		buf_addch(b, '\'');
	} else {
		buf_adds(b, sheet);
	}
	buf_addch(b, '!');
	if (col)
		add_col_letters(b, col);
	buf_addf(b, "%lu", row);
}

unsigned long workbook_col_number(const char *s, size_t len)
{
	unsigned long col = 0;
	size_t i;

	if (len == 0 || len > 7)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned c = (unsigned char)s[i] | 0x20;

		if (c < 'a' || c > 'z')
			return 0;
		col = col * 26 + (c - 'a' + 1);
	}
	return col;
}

/*
 * 15 significant digits ("%.14e"), trailing zeros dropped, then written
 * out plainly when the exponent allows: what a spreadsheet shows, and
 * never 120.50000000000001 or 1.2e+02.
 */
size_t workbook_number_text(double v, char out[WORKBOOK_NUMBER_SIZE])
{
	char e[40], digits[20];
	const char *p;
	size_t nd = 0, n = 0, i;
	int exp, neg;

	if (!isfinite(v))
		return (size_t)snprintf(out, WORKBOOK_NUMBER_SIZE, "%s", isnan(v) ? "nan" : v < 0 ?
					"-inf" : "inf");
	if (v == 0)
		return (size_t)snprintf(out, WORKBOOK_NUMBER_SIZE, "0");
	snprintf(e, sizeof(e), "%.14e", v);
	neg = e[0] == '-';
	for (p = e + neg; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (neg)
		out[n++] = '-';
	if (exp >= 21 || exp < -6) {
		out[n++] = digits[0];
		if (nd > 1) {
			out[n++] = '.';
			memcpy(out + n, digits + 1, nd - 1);
			n += nd - 1;
		}
		n += (size_t)snprintf(out + n, WORKBOOK_NUMBER_SIZE - n, "e%+03d", exp);
		return n;
	}
	if (exp < 0) {
		out[n++] = '0';
		out[n++] = '.';
		for (i = 0; i < (size_t)(-exp - 1); i++)
			out[n++] = '0';
		memcpy(out + n, digits, nd);
		n += nd;
	} else {
		for (i = 0; i <= (size_t)exp; i++)
			out[n++] = i < nd ? digits[i] : '0';
		if (nd > (size_t)exp + 1) {
			out[n++] = '.';
			memcpy(out + n, digits + exp + 1, nd - (size_t)exp - 1);
			n += nd - (size_t)exp - 1;
		}
	}
	out[n] = '\0';
	return n;
}

long long workbook_day_seconds(double days)
{
	double s = days * 86400.0;

	if (!(s >= 0) || s > 9e15)
		return -1;
	return (long long)floor(s + 0.5);
}

/* The last day either system can show: 9999-12-31. */
#define SERIAL_MAX_1900 2958465.0
#define SERIAL_MAX_1904 2957003.0

int workbook_serial_date(double serial, int date1904, char out[WORKBOOK_DATE_SIZE],
			 char why[128])
{
	long long secs;
	long days, y, base;
	unsigned m, d;
	long tod;

	if (!(serial >= 0) || serial >= (date1904 ? SERIAL_MAX_1904 : SERIAL_MAX_1900) + 1) {
		snprintf(why, 128, "date serial %.15g is out of range", serial);
		return -1;
	}
	secs = workbook_day_seconds(serial);
	days = (long)(secs / 86400);
	tod = (long)(secs % 86400);
	if (date1904) {
		base = norm_days_from_civil(1904, 1, 1);
	} else if (days == 0) {
		snprintf(why, 128, "date serial 0 is Excel's 1900-01-00, no date");
		return -1;
	} else if (days == 60) {
		snprintf(why, 128, "date serial 60 is Excel's 1900-02-29, a day that never was");
		return -1;
	} else {
		/* 1 is 1900-01-01; from 61 (1900-03-01) on, one less for the phantom day */
		base = norm_days_from_civil(1899, 12, days < 60 ? 31 : 30);
	}
	norm_civil_from_days(base + days, &y, &m, &d);
	/* y is 1900 to 9999, m and d a month's: the text fits */
	if (tod)
		snprintf(out, WORKBOOK_DATE_SIZE, "%04d-%02d-%02d %02d:%02d:%02d", (int)y % 10000,
			 (int)m % 100, (int)d % 100, (int)(tod / 3600) % 100, (int)(tod / 60 % 60),
			 (int)(tod % 60));
	else
		snprintf(out, WORKBOOK_DATE_SIZE, "%04d-%02d-%02d", (int)y % 10000, (int)m % 100,
			 (int)d % 100);
	return 0;
}

/* A decimal number at *p (digits, an optional fraction); -1 if none. */
static double iso_number(const char **p)
{
	const char *s = *p;
	double v = 0, scale = 0.1;
	int any = 0;

	for (; *s >= '0' && *s <= '9'; s++, any = 1)
		v = v * 10 + (*s - '0');
	if (*s == '.' || *s == ',') {
		for (s++; *s >= '0' && *s <= '9'; s++, any = 1, scale /= 10)
			v += (*s - '0') * scale;
	}
	*p = s;
	return any ? v : -1;
}

long long workbook_iso_duration(const char *s)
{
	double total = 0, v;
	int time = 0, any = 0;

	if (*s++ != 'P')
		return -1;
	while (*s) {
		if (*s == 'T') {
			if (time)
				return -1;
			time = 1;
			s++;
			continue;
		}
		if ((v = iso_number(&s)) < 0)
			return -1;
		switch (*s++) {
		case 'W': if (time) return -1; total += v * 604800; break;
		case 'D': if (time) return -1; total += v * 86400; break;
		case 'H': if (!time) return -1; total += v * 3600; break;
		case 'M': if (!time) return -1; total += v * 60; break;
		case 'S': if (!time) return -1; total += v; break;
		default: return -1;	/* years and months have no length in seconds */
		}
		any = 1;
	}
	if (!any || total > 9e15)
		return -1;
	return (long long)floor(total + 0.5);
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/*
 * An ISO 8601 date or date-time (ods date-value, xlsx t="d"):
 * YYYY-MM-DD, then THH:MM:SS with an optional fraction and zone, which
 * is kept only when it is not midnight.
 */
int wb_iso_date_text(const char *s, char out[WORKBOOK_DATE_SIZE])
{
	const char *t = s;
	long y, mo, d, h = 0, mi = 0, sec = 0;

	if (*t == '-' || *t == '+')
		t++;
	if (strlen(t) < 10 || !all_digits(t, 4) || t[4] != '-' || !all_digits(t + 5, 2) ||
	    t[7] != '-' || !all_digits(t + 8, 2))
		return -1;
	y = strtol(s, NULL, 10);
	mo = strtol(t + 5, NULL, 10);
	d = strtol(t + 8, NULL, 10);
	if (y < 0 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	t += 10;
	if (*t == 'T' || *t == ' ') {
		if (strlen(t) < 9 || !all_digits(t + 1, 2) || t[3] != ':' || !all_digits(t + 4, 2) ||
		    t[6] != ':' || !all_digits(t + 7, 2))
			return -1;
		h = strtol(t + 1, NULL, 10);
		mi = strtol(t + 4, NULL, 10);
		sec = strtol(t + 7, NULL, 10);
	} else if (*t) {
		return -1;
	}
	if (h || mi || sec)
		snprintf(out, WORKBOOK_DATE_SIZE, "%04ld-%02ld-%02ld %02ld:%02ld:%02ld", y, mo, d, h, mi,
			 sec);
	else
		snprintf(out, WORKBOOK_DATE_SIZE, "%04ld-%02ld-%02ld", y, mo, d);
	return 0;
}

enum workbook_fmt workbook_builtin_kind(unsigned long id)
{
	if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
		return WORKBOOK_FMT_DATE;
	if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
		return WORKBOOK_FMT_TIME;
	return WORKBOOK_FMT_NUMBER;
}

/* Tokens of a format code that make it a date or a time. */
enum { TK_Y = 1, TK_M, TK_D, TK_H, TK_S };

enum workbook_fmt workbook_format_kind(const char *code)
{
	int tok[64], n = 0, i, date = 0, time = 0;
	const char *s;

	for (s = code; *s && *s != ';' && n < 64; s++) {
		int c = *s | 0x20;

		if (*s == '"') {
			s = strchr(s + 1, '"');
			if (!s)
				break;
		} else if (*s == '\\' || *s == '_' || *s == '*') {
			if (!*++s)
				break;
		} else if (*s == '[') {
			const char *e = strchr(s, ']');
			size_t len;

			if (!e)
				break;
			len = (size_t)(e - s - 1);
			/* [h] [mm] [ss]: elapsed time; [Red], [$-409], [>100]: not ours */
			if (len && strspn(s + 1, "hH") == len)
				time = 1, tok[n++] = TK_H;
			else if (len && strspn(s + 1, "mM") == len)
				time = 1, tok[n++] = TK_M;
			else if (len && strspn(s + 1, "sS") == len)
				time = 1, tok[n++] = TK_S;
			s = e;
		} else if (c == 'e' && (s[1] == '+' || s[1] == '-')) {
			s++;	/* 0.00E+00 */
		} else if (strncasecmp(s, "AM/PM", 5) == 0) {
			s += 4;
		} else if (strncasecmp(s, "A/P", 3) == 0) {
			s += 2;
		} else if (c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's') {
			int t = c == 'y' ? TK_Y : c == 'm' ? TK_M : c == 'd' ? TK_D :
				c == 'h' ? TK_H : TK_S;

			while ((s[1] | 0x20) == c)
				s++;
			tok[n++] = t;
		}
	}
	for (i = 0; i < n; i++) {
		if (tok[i] == TK_Y || tok[i] == TK_D) {
			date = 1;
		} else if (tok[i] == TK_H || tok[i] == TK_S) {
			time = 1;
		} else if (tok[i] == TK_M) {
			/* minutes right after hours or right before seconds, else months */
			if ((i > 0 && tok[i - 1] == TK_H) || (i + 1 < n && tok[i + 1] == TK_S))
				time = 1;
			else
				date = 1;
		}
	}
	return date ? WORKBOOK_FMT_DATE : time ? WORKBOOK_FMT_TIME : WORKBOOK_FMT_NUMBER;
}

/*
 * Decode the _xHHHH_ escapes of OOXML strings (a control character or
 * a "_x" that was text, as _x005F_) in s[0, len), in place; the new length.
 */
size_t wb_decode_x(char *s, size_t len)
{
	char *r = memchr(s, '_', len), *w, *end = s + len;

	if (!r)
		return len;
	w = r;
	while (r < end) {
		unsigned long cp;
		char *stop;

		if (*r == '_' && end - r >= 7 && r[1] == 'x' && r[6] == '_' &&
		    strspn(r + 2, "0123456789abcdefABCDEF") >= 4) {
			char hex[5] = { r[2], r[3], r[4], r[5], '\0' };

			cp = strtoul(hex, &stop, 16);
			if (cp && (cp < 0xD800 || cp > 0xDFFF)) {
				if (cp < 0x80) {
					*w++ = (char)cp;
				} else if (cp < 0x800) {
					*w++ = (char)(0xC0 | cp >> 6);
					*w++ = (char)(0x80 | (cp & 0x3F));
				} else {
					*w++ = (char)(0xE0 | cp >> 12);
					*w++ = (char)(0x80 | (cp >> 6 & 0x3F));
					*w++ = (char)(0x80 | (cp & 0x3F));
				}
				r += 7;
				continue;
			}
		}
		*w++ = *r++;
	}
	return (size_t)(w - s);
}

/* A number cell's text as a double: digits, sign, point, exponent only. */
int wb_parse_number(const char *s, size_t len, double *v)
{
	char *end;

	if (len == 0 || strspn(s, "0123456789+-.eE") != len)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	return end == s + len && errno != ERANGE ? 0 : -1;
}
