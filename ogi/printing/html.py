"""Reports as HTML pages, the ones found in the wild: the report's blocks through a page's own markup
(each kind of block, cell and table has its function, which escapes the text), inside the page around
them.

    plain_page   a page with a navigation line, the article and a footer
    gov_page     a government portal: menus, a search form, scripts, an index table of the publication's
                 fields, the report inside a layout table
    word_export  Word's "save as web page": MsoNormal paragraphs, runs split inside figures, <o:p>,
                 conditional comments, lines wrapped inside tags
    mirror_page  a traditional-script mirror of a prose report, in Big5
    print_page   a plain page for a browser to print to PDF, in one of PRINT_STYLES
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from ogi.printing.grid import Block, Cell, Grid


@dataclass(frozen=True)
class Markup:
    title: Callable[[str], str]
    heading: Callable[[str], str]
    paragraph: Callable[[str], str]
    cell: Callable[[Cell], str]
    table: Callable[[str], str]  # the rows' markup -> the table's


def td(cell: Cell, inner: str, attrs: str = "") -> str:
    spans = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
    return f"<td{spans}{attrs}>{inner}</td>"


def rows(grid: Grid, cell: Callable[[Cell], str]) -> str:
    return "\n".join("<tr>" + "".join(cell(c) for c in row) + "</tr>" for row in grid)


def body(blocks: list[Block], markup: Markup) -> str:
    out = []
    for kind, content in blocks:
        if kind == "title":
            out.append(markup.title(content))
        elif kind == "h":
            out.append(markup.heading(content))
        elif kind == "p":
            out.append(markup.paragraph(content))
        else:
            out.append(markup.table(rows(content, markup.cell)))
    return "\n".join(out)


def plain_table(grid: Grid) -> str:
    """A table as converters leave it inside markdown."""
    return f"<table>\n{rows(grid, lambda c: td(c, escape(c.text)))}\n</table>"


def plain_page(blocks: list[Block], title: str, charset: str) -> str:
    markup = Markup(
        title=lambda t: f"<h1>{escape(t)}</h1>",
        heading=lambda t: f"<p><strong>{escape(t)}</strong></p>",
        paragraph=lambda t: f'<p style="text-indent:2em">{escape(t)}</p>',
        cell=lambda c: td(c, f"<p>{escape(c.text)}</p>"),
        table=lambda r: f'<table border="1" cellspacing="0" cellpadding="0">\n{r}\n</table>',
    )
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n"
            '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>\n'
            f'<div class="article">\n{body(blocks, markup)}\n</div>\n<div class="footer">主办单位：人民政府办公室</div>\n'
            "</body>\n</html>\n")


def gov_page(blocks: list[Block], title: str, place: str, published: str = "2022-01-20",
             index_number: str = "001008003017002/2022-123456", publisher: str | None = None, address: str | None = None,
             charset: str = "utf-8") -> str:
    """A government portal page: navigation, an index table (索引号, 发布机构, 发布日期), the report
    inside a layout table, the site's owner and address in the footer."""
    publisher = publisher or f"{place}人民政府办公室"
    address = address or f"浙江省{place}"
    paragraph = lambda p: f'<p style="text-indent:2em">{escape(p)}</p>'  # noqa: E731
    content = body(blocks, Markup(
        title=lambda t: f'<h1 class="article-title">{escape(t)}</h1>',
        heading=paragraph,
        paragraph=paragraph,
        cell=lambda c: td(c, f'<p style="text-align:center"><span style="font-size:14px">{escape(c.text) or "&nbsp;"}</span></p>'),
        table=lambda r: f'<table border="1" cellspacing="0" cellpadding="0" width="100%">\n<tbody>\n{r}\n</tbody>\n</table>\n<p>&nbsp;</p>',
    ))
    menu = "".join(f'<li><a href="/col/{i}">{t}</a></li>' for i, t in enumerate(
        ("首页", "政务公开", "政府信息公开年报", "政策文件", "互动交流", "丽水市人民政府")))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<title>{title}_{place}人民政府</title>
<link rel="stylesheet" href="/css/main.css">
<script>var _hmt = _hmt || []; document.write("<p>统计代码</p>");</script>
<style>.article-title {{ font-size: 22px; }} td {{ border: 1px solid #000; }}</style>
</head>
<body>
<div class="header"><div class="logo">{place}人民政府</div>
<ul class="menu">{menu}</ul>
<form class="search"><input type="text" name="q"><button>搜索</button></form></div>
<nav class="crumbs"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政府信息公开年报</nav>
<table width="1000" align="center"><tr><td class="layout-main">
<table class="xxgk-index">
<tr><td>索引号：</td><td>{index_number}</td><td>发布机构：</td><td>{publisher}</td></tr>
<tr><td>发布日期：</td><td>{published}</td><td>公开方式：</td><td>主动公开</td></tr>
</table>
{content}
</td></tr></table>
<div class="footer">主办：{place}人民政府办公室 地址：{address}</div>
<script src="/js/share.js"></script>
</body>
</html>
"""


def word_export(blocks: list[Block], title: str) -> str:
    """Word's "save as web page": MsoNormal paragraphs, runs split inside figures, `<o:p>`, lines
    wrapped inside tags, conditional comments."""
    def runs(text: str) -> str:
        if not text:
            return "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
        if text[:1].isdigit() and len(text) > 2:  # Word splits runs where proofing marks change
            return f"<span lang=EN-US>{escape(text[:1])}</span><span\nlang=EN-US style='font-family:宋体'>{escape(text[1:])}</span>"
        return f"<span style='font-family:宋体;mso-ascii-font-family:\"Times New Roman\"'>{escape(text)}</span>"

    paragraph = lambda p: f"<p class=MsoNormal style='text-indent:32.0pt'>{runs(p)}<span lang=EN-US><o:p></o:p></span></p>"  # noqa: E731
    content = body(blocks, Markup(
        title=lambda t: f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt'>{escape(t)}<span\nlang=EN-US><o:p></o:p></span></span></b></p>",
        heading=paragraph,
        paragraph=paragraph,
        cell=lambda c: td(c, f"\n  <p class=MsoNormal align=center style='text-align:center'>{runs(c.text)}</p>\n  ",
                          " valign=top style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'"),
        table=lambda r: "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0\n style='border-collapse:collapse;border:none'>\n"
        + r.replace("<tr>", " <tr style='height:20.0pt'>\n  ") + "\n</table>\n<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>",
    ))
    return f"""<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=Generator content="Microsoft Word 15 (filtered)">
<title>{title}</title>
<!--[if gte mso 9]><xml>
 <w:WordDocument><w:View>Print</w:View></w:WordDocument>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal {{margin:0cm;text-align:justify;font-size:10.5pt;font-family:等线;}}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
{content}
</div>
</body>
</html>
"""


def mirror_page(title: str, paragraphs: list[str], place: str, updated: str = "2017-03-30") -> str:
    """A mirror of a prose report in traditional script (the caller converts the text): paragraphs,
    the source and date on one line broken by <br>."""
    text = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">
<title>{title}</title></head>
<body><center><h2>{title}</h2></center>
<div id="content">
{text}
</div>
<p>轉載自{place}人民政府網站<br>更新時間：{updated}</p>
</body></html>
"""


PRINT_STYLES = {
    # a narrow first column: labels wrap in their cells, table 3 is cut through a merged cell and a row
    "ruled": "td { border: 1px solid #000; padding: 2px; text-align: center; font-size: 13px; }\n"
             "tr td:first-child { width: 4em; }",
    # no borders, columns as wide as their text: labels wrap above and below their centred figures
    "unruled": "td { padding: 2px; text-align: center; }",
    # large type, table 3's headings repeated on the next page (<thead>); the page cuts the merged
    # （五）不予处理 cell, whose text the browser lets run past the bottom of the page's part of the table
    "large": "body { font-size: 18px; } td { border: 1px solid #000; padding: 6px; text-align: center; }",
}


def print_page(blocks: list[Block], style: str = "ruled", repeated_heading_table: Cell | None = None) -> str:
    """The report as a plain page for a browser to print, in one of PRINT_STYLES; the table whose
    first cell is `repeated_heading_table` gets its three heading rows as a <thead>, which the
    browser repeats on every page."""
    content = body(blocks, Markup(
        title=lambda t: f"<h1>{escape(t)}</h1>",
        heading=lambda p: f"<p>{escape(p)}</p>",
        paragraph=lambda p: f"<p>{escape(p)}</p>",
        cell=lambda c: td(c, escape(c.text) or "&nbsp;"),
        table=lambda r: f"<table>\n{r}\n</table>",
    ))
    if repeated_heading_table is not None:
        note = f"<tr>{td(repeated_heading_table, escape(repeated_heading_table.text))}"
        start = content.index(note)
        parts = content[start:].split("</tr>")
        content = content[:start] + "<thead>" + "</tr>".join(parts[:3]) + "</tr></thead><tbody>" + "</tr>".join(parts[3:])
        content = content.replace("</table>", "</tbody></table>", 2).replace("</tbody></table>", "</table>", 1)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ font-family: 'Noto Sans CJK SC', sans-serif; font-size: 14px; }}
table {{ border-collapse: collapse; width: 100%; }}
{PRINT_STYLES[style]}
</style></head><body>
{content}
</body></html>
"""
