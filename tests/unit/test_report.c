/* test_report: rendering a report from figures made up here (no database): percentages
 * round the same everywhere, plans with no RAG say so, wide characters are cut by
 * display width, movements since the board are counted per pair, the why of an
 * off-track action is printed in full, a single Red action is visible in its bar, and
 * every format (JSON included) escapes what it must. */
#include "check.h"
#include "ragtrack/report.h"
#include "ragtrack/text.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static struct report_data *data_new(const char *agency, long blue, long green, long unset)
{
	struct report_data *d = calloc(1, sizeof *d);
	d->today = strdup("2016-06-30");
	d->since = strdup("2016-05-31");
	d->meeting = strdup("2016-06-30");
	d->next = strdup("2016-09-29");
	d->stale_days = 90;
	d->limit = 50;
	d->nagencies = 1;
	d->agencies = calloc(1, sizeof *d->agencies);
	d->agencies[0].name = strdup(agency);
	d->agencies[0].rag[RAG_BLUE] = blue;
	d->agencies[0].rag[RAG_GREEN] = green;
	d->agencies[0].rag[RAG_UNSET] = unset;
	d->agencies[0].total = blue + green + unset;
	d->nreviews = 1;
	d->reviews = calloc(1, sizeof *d->reviews);
	d->reviews[0] = d->agencies[0];
	d->reviews[0].name = strdup("Review");
	d->total = d->agencies[0];
	d->total.name = NULL;
	return d;
}

static char *render(const struct report_data *d, enum report_format fmt)
{
	struct report_meta m = { .filter = "all actions" };
	struct buf b = {0};
	report_render(d, &m, fmt, &b);
	return buf_steal(&b);
}

/* The line of s that starts with prefix, as a new string ("" when none). */
static char *line_of(const char *s, const char *prefix)
{
	for (const char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return strndup(p, strcspn(p, "\n"));
	return strdup("");
}

static void test_percentages(void)
{
	struct report_data *d = data_new("Police", 1, 1, 1);   /* 1/3 complete, 1/2 of rated */
	char *md = render(d, REPORT_MD);
	char *row = line_of(md, "| Police |");
	CHECK_STR(row, "| Police | 0 | 0 | 1 | 1 | 1 | 3 | 33.3% | 50.0% | 0 |");
	free(row);
	free(md);
	report_data_free(d);

	d = data_new("Police", 2, 0, 1);                         /* 2/3 rounds up */
	md = render(d, REPORT_MD);
	row = line_of(md, "| Police |");
	CHECK_STR(row, "| Police | 0 | 0 | 0 | 2 | 1 | 3 | 66.7% | 100.0% | 0 |");
	free(row);
	free(md);
	report_data_free(d);

	d = data_new("Police", 0, 0, 4);                         /* nothing rated: not 0% complete */
	md = render(d, REPORT_MD);
	row = line_of(md, "| Police |");
	CHECK_STR(row, "| Police | 0 | 0 | 0 | 0 | 4 | 4 | no RAG recorded | - | 0 |");
	free(row);
	free(md);
	report_data_free(d);
}

static void test_wide_names(void)
{
	/* 20 CJK characters, 40 columns: the text table cuts the name to 36 columns. */
	struct buf name = {0};
	for (int i = 0; i < 20; i++)
		buf_adds(&name, "\u5150");
	struct report_data *d = data_new(name.s, 1, 0, 0);
	char *text = render(d, REPORT_TEXT);
	char *row = line_of(text, "\u5150");
	CHECK(strstr(row, "\u2026") != NULL);
	const char *cut = strstr(row, "\u2026");
	char *head = strndup(row, (size_t)(cut - row));
	CHECK_INT(text_width(head), 34);                       /* 17 wide characters, then the ellipsis */
	free(head);
	free(row);
	free(text);
	report_data_free(d);
	buf_free(&name);
}

static void test_escaping(void)
{
	struct report_data *d = data_new("A|B <i>&amp; 'q\" \x1b[2J", 1, 0, 0);
	char *md = render(d, REPORT_MD);
	CHECK(strstr(md, "| A\\|B \\<i\\>\\&amp; 'q\" \\\\x1b\\[2J | 0 |") != NULL);
	char *html = render(d, REPORT_HTML);
	CHECK(strstr(html, "<td>A|B &lt;i&gt;&amp;amp; &#39;q&quot; \\x1b[2J</td>") != NULL);
	CHECK(strstr(html, "\x1b") == NULL);
	char *text = render(d, REPORT_TEXT);
	CHECK(strstr(text, "A|B <i>&amp; 'q\" \\x1b[2J") != NULL);
	CHECK(strstr(text, "\x1b") == NULL);
	free(md);
	free(html);
	free(text);
	report_data_free(d);
}

static void test_movements(void)
{
	struct report_data *d = data_new("Police", 1, 5, 0);
	d->has_board = 1;
	d->board_name = strdup("March \"Q4\"");
	d->board_date = strdup("2016-03-31");
	d->moves.move[RAG_AMBER][RAG_GREEN] = 3;
	d->moves.move[RAG_GREEN][RAG_RED] = 1;
	d->moves.move[RAG_GREEN][RAG_GREEN] = 2;     /* unchanged: no movement */
	d->board_total = d->total;
	char *md = render(d, REPORT_MD);
	CHECK(strstr(md, "| Amber | Green | 3 |\n| Green | Red | 1 |\n") != NULL);
	CHECK(strstr(md, "| Green | Green |") == NULL);
	CHECK(strstr(md, "2 actions have the same RAG status as at the board.") != NULL);
	CHECK(strstr(md, "4 actions changed RAG status (3 improved, 1 got worse)") != NULL);
	char *json = render(d, REPORT_JSON);
	CHECK(strstr(json, "\"board\":\"March \\\"Q4\\\"\"") != NULL);
	CHECK(strstr(json, "\"movements\":[{\"from\":\"Amber\",\"to\":\"Green\",\"count\":3},"
	                   "{\"from\":\"Green\",\"to\":\"Red\",\"count\":1}]") != NULL);
	free(md);
	free(json);
	report_data_free(d);
}

static void test_why_in_full(void)
{
	struct report_data *d = data_new("Police", 0, 1, 0);
	struct report_list *l = &d->lists[LIST_OVERDUE];
	l->items = calloc(1, sizeof *l->items);
	l->n = 1;
	l->total = 1;
	struct report_item *it = &l->items[0];
	it->id = 7;
	it->review = strdup("Julia");
	it->ref = strdup("1a");
	it->agency = strdup("Police");
	it->rag = RAG_AMBER;
	it->target_date = strdup("2016-03-31");
	it->text = strdup("An action");
	struct buf long_text = {0};
	for (int i = 0; i < 30; i++)
		buf_printf(&long_text, "word%d ", i);
	buf_adds(&long_text, "END");
	it->constraints = strdup(long_text.s);
	it->note = strdup("Update 6.6.16 audit <booked>");
	it->note_at = strdup("2016-06-06T10:00:00Z");
	char *text = render(d, REPORT_TEXT), *md = render(d, REPORT_MD), *html = render(d, REPORT_HTML);
	CHECK(strstr(text, "      Latest note (2016-06-06): Update 6.6.16 audit <booked>\n") != NULL);
	CHECK(strstr(text, "word29 END") != NULL);          /* wrapped, not cut */
	CHECK(strstr(md, long_text.s) != NULL);
	CHECK(strstr(md, "Update 6.6.16 audit \\<booked\\>") != NULL);
	CHECK(strstr(html, "<tr class=\"why\"><td colspan=") != NULL);
	CHECK(strstr(html, "Latest note (2016-06-06): Update 6.6.16 audit &lt;booked&gt;<br/>Constraints: word0") != NULL);
	CHECK(strstr(html, long_text.s) != NULL);
	buf_free(&long_text);
	free(text);
	free(md);
	free(html);
	report_data_free(d);
}

static void test_single_red_visible(void)
{
	struct report_data *d = data_new("Police", 332, 0, 0);
	d->reviews[0].rag[RAG_RED] = 1;
	d->reviews[0].total = 333;
	char *html = render(d, REPORT_HTML);
	const char *red = strstr(html, "fill=\"#c62828\"");
	CHECK(red != NULL);
	const char *rect = red;
	while (rect > html && strncmp(rect, "<rect", 5) != 0)
		rect--;
	double w = 0;
	const char *wp = strstr(rect, "width=\"");
	CHECK(wp != NULL && wp < red);
	if (wp)
		w = atof(wp + 7);
	CHECK(w >= 5.0);
	free(html);
	report_data_free(d);
}

static void test_json_escaping(void)
{
	struct report_data *d = data_new("Q\"uote\\ \x01 \u00e9", 1, 0, 0);
	char *json = render(d, REPORT_JSON);
	CHECK(strstr(json, "\"agency\":\"Q\\\"uote\\\\ \\u0001 \u00e9\"") != NULL);
	CHECK(strstr(json, "\"board\":null") != NULL);
	CHECK(strstr(json, "\"movements\":[]") != NULL);
	CHECK(strstr(json, "\"complete_pct\":100.0") != NULL);
	free(json);
	report_data_free(d);
}

static void test_formats(void)
{
	enum report_format f;
	CHECK_INT(report_format_from_name("HTML", &f), 0);
	CHECK_INT(f, REPORT_HTML);
	CHECK_INT(report_format_from_name("markdown", &f), 0);
	CHECK_INT(f, REPORT_MD);
	CHECK_INT(report_format_from_name("json", &f), 0);
	CHECK_INT(f, REPORT_JSON);
	CHECK_INT(report_format_from_name("pdf", &f), -1);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_percentages();
	test_wide_names();
	test_escaping();
	test_movements();
	test_why_in_full();
	test_single_red_visible();
	test_json_escaping();
	test_formats();
	return check_report();
}
