--[[
notebook.lua: turn pandoc's reading of a report notebook into report blocks (Typst and Word).

Expects a notebook already reduced to one representation per output
(tunisia_report.export.preprocess.SingleRepresentation) and read with --ipynb-output=all.

* Raw Markdown outputs (narrative) and raw HTML outputs (pandas tables) are parsed into real
  blocks; each is read on its own, so its [^n] footnotes become real notes.
* Charts (images carrying the `tunisia-report-figure` attribute) become `#report-figure(...)`
  calls of report.typ: a numbered figure with title, caption, source line and alt text.
* Cell and output Divs are unwrapped, so headings stay with what follows them.
* Tables are shaped by tables.lua: no pandas index, numbers right-aligned, widths that fit.
* `@label` of a chart in a Markdown cell becomes a Typst reference ("Figure 1"); other `@words`,
  and every `@` in an output, stay text.
* A chart's title, caption and source line are plain text: they show literally.
* Empty code blocks (hidden inputs) are dropped.
* A claim's card (a `verdict-card` div) and its verdict badge (a `verdict-badge` span) become
  `report-verdict-card` and `verdict-badge` of report.typ, in the colour the div names.
* In a right-to-left edition a web address is a left-to-right box of its own (no zigzag).
* The list of sources (a `bibliography` div) becomes `report-bibliography`: small, tight type.
* Straight quotes left in the text (the narrative escapes them to keep them literal) become
  Typst smart quotes: curly, opening or closing by context, in the document's language.
* Headings are shifted so the highest is level 1: the title is the document's title, not a
  heading, and PDF/UA-1 wants the first heading at level 1 (a skipped level still fails there).
* The PDF's page layout (floating charts) is typst_layout.lua's, which the PDF runs after this.
]]

local FIGURE_ATTR = 'tunisia-report-figure'
local FIGURE_DIR = 'figures' -- relative to pandoc's working directory, the Typst root

--- A Typst string literal.
local function typst_string(s)
  s = s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\r', ''):gsub('\n', '\\n')
  return '"' .. s .. '"'
end

local figure_labels = {} -- label -> the chart's number (true until known)
local figure_word = 'Figure' -- from the metadata's `figure` (the edition's word), see Meta
local rtl = false -- the edition's direction (the metadata's `dir`), see Meta
-- The edition's double quotation marks (the metadata's `quote-open`, `quote-close`), see Meta.
local quote_marks = { '\u{201C}', '\u{201D}' }

--- How a reference to chart `label` is written: `#ref(<label>)` in Typst, "Figure 3" elsewhere.
local function figure_reference(label)
  if FORMAT ~= 'typst' then
    local number = figure_labels[label]
    return figure_word .. '\u{a0}' .. (type(number) == 'number' and string.format('%d', number) or '')
  end
  return '#ref(<' .. label .. '>)'
end

--- `@fig-x` pointing at a chart becomes a Typst reference ("Figure 1"); any other `@word`
--- (a handle, an e-mail) stays literal text instead of a citation Typst cannot resolve.
local function resolve_cite(cite)
  local refs = pandoc.List()
  for _, citation in ipairs(cite.citations) do
    if not figure_labels[citation.id] then
      return cite.content
    end
      refs:insert(figure_reference(citation.id))
  end
  if FORMAT ~= 'typst' then
    return pandoc.Str(table.concat(refs, ', '))
  end
  return pandoc.RawInline('typst', table.concat(refs, ', '))
end

--- Markdown cells come without the citations extension: `@fig-x` there is plain text.
local function resolve_at_label(str)
  local before, id, after = str.text:match('^(%[?)@([%w_][%w%-_:%.]-)([%]%.,;:!%?%)]*)$')
  if id and figure_labels[id] then
    local inlines = pandoc.List()
    if before ~= '' then
      inlines:insert(pandoc.Str(before))
    end
    if FORMAT ~= 'typst' then -- a link to the chart (Word: to its bookmark)
      inlines:insert(pandoc.Link(figure_reference(id), '#' .. id))
    else
      inlines:insert(pandoc.RawInline('typst', figure_reference(id)))
    end
    if after ~= '' then
      inlines:insert(pandoc.Str(after))
    end
    return inlines
  end
end

-- A quote after one of these (or at a word's start) opens; anywhere else it closes or is an
-- apostrophe: the rule of the HTML's `curly_quotes` (export/html.py).
local OPENS_AFTER = { [' '] = true, ['\t'] = true, ['\u{A0}'] = true, ['('] = true, ['['] = true,
  ['{'] = true, ['\u{2014}'] = true, ['\u{2013}'] = true, ['-'] = true, ['/'] = true }

-- Closing marks as Typst escapes (set as they are, never as a smart quote).
local CLOSING_ESCAPES = { ['\u{2019}'] = '\\u{2019}', ['\u{201D}'] = '\\u{201D}' }

local function last_char(text)
  local last
  for _, code in utf8.codes(text) do
    last = code
  end
  return utf8.char(last)
end

--- Straight quotes as the edition's typographic ones (apostrophes ’ in every edition).
local function curly(text)
  local out, before = {}, ' '
  for _, code in utf8.codes(text) do
    local char = utf8.char(code)
    if char == '"' then
      char = OPENS_AFTER[before] and quote_marks[1] or quote_marks[2]
    elseif char == "'" then
      char = OPENS_AFTER[before] and '\u{2018}' or '\u{2019}'
    end
    out[#out + 1] = char
    before = last_char(char)
  end
  return table.concat(out)
end

--- A word with straight quotes: in Typst, Typst's smart quotes (a raw `"` or `'` in Typst
--- markup, set in the edition's style by Typst); in any other format (Word), the edition's
--- typographic quotes. So every format's text has typographic quotes.
local function smart_quotes(str)
  if not str.text:find('["\'\u{2019}\u{201D}]') then
    return nil
  end
  if FORMAT ~= 'typst' then
    return pandoc.Str(curly(str.text))
  end
  -- Typst's smart quotes guess open or close from the character before, and took a quote
  -- after "]", ")" or "?" for an opening one (about fifty titles in the English sources
  -- list). So a closing mark (by the rule of `curly`) is written as an escape, which Typst
  -- sets as it is; and so are curly closing marks, which pandoc's Typst writer turns back
  -- into straight ones.
  local inlines, text, before = pandoc.List(), {}, ' '
  local function flush()
    if #text > 0 then
      inlines:insert(pandoc.Str(table.concat(text)))
      text = {}
    end
  end
  for _, code in utf8.codes(str.text) do
    local char = utf8.char(code)
    local closing = CLOSING_ESCAPES[char]
    if (char == '"' or char == "'") and OPENS_AFTER[before] then
      flush()
      inlines:insert(pandoc.RawInline('typst', char))
    elseif char == '"' or char == "'" or closing then
      flush()
      local mark = char == '"' and quote_marks[2] or (char == "'" and '\u{2019}' or char)
      inlines:insert(pandoc.RawInline('typst', CLOSING_ESCAPES[mark] or mark))
    else
      text[#text + 1] = char
    end
    before = char
  end
  flush()
  return inlines
end

--- Typst for a short plain text (title, caption, source line: text, never markup), or nil.
local function markup(text)
  if type(text) ~= 'string' or text:match('^%s*$') then
    return nil
  end
  local doc = pandoc.Pandoc({ pandoc.Plain(pandoc.Inlines(text)) }):walk({ Str = smart_quotes })
  return (pandoc.write(doc, 'typst'):gsub('%s+$', ''))
end

--- A Typst label: letters, digits and - _ . : only.
local function typst_label(text, number)
  if type(text) ~= 'string' then
    return nil
  end
  local label = text:gsub('[^%w%-_%.:]', '-')
  if label == '' then
    return nil
  end
  figure_labels[label] = number or true
  return label
end

--- A chart as a pandoc Figure (Word): the image with its alt text, captioned "Figure 3. Title.
--- Caption. Source: ..." in plain text.
local function native_figure(image, info, label, alt)
  local parts = {}
  for _, key in ipairs({ 'title', 'caption', 'source' }) do
    if type(info[key]) == 'string' and not info[key]:match('^%s*$') then
      table.insert(parts, info[key])
    end
  end
  for i = 1, #parts - 1 do -- each part a sentence: "Title. Caption. Source: ..."
    if not parts[i]:match('[%.!%?:]%s*$') then
      parts[i] = parts[i] .. '.'
    end
  end
  local caption = table.concat(parts, ' ')
  if info.number then
    caption = figure_word .. '\u{a0}' .. string.format('%d', info.number) .. '. ' .. caption
  end
  local img = pandoc.Image(pandoc.Inlines(alt), image.src, '', { alt = alt })
  return pandoc.Figure(pandoc.Plain({ img }), { pandoc.Plain(pandoc.Inlines(caption)) },
    { id = label or '' })
end

--- The `#report-figure(...)` block for one chart image.
local function figure_block(image)
  local ok, info = pcall(pandoc.json.decode, image.attributes[FIGURE_ATTR])
  if not ok or type(info) ~= 'table' then
    info = {}
  end
  local label = typst_label(info.label, info.number)
  local alt = info.alt or image.attributes.alt or ''
  if FORMAT ~= 'typst' then
    return native_figure(image, info, label, alt)
  end
  -- The raw block escapes --extract-media's rewriting, so write the file out here.
  pandoc.mediabag.write(FIGURE_DIR, image.src)
  local path = FIGURE_DIR .. '/' .. image.src
  local lines = {
    '#report-figure(',
    '  image(' .. typst_string(path) .. ', width: 100%, alt: ' .. typst_string(alt) .. '),',
  }
  for _, key in ipairs({ 'title', 'caption', 'source' }) do
    local value = markup(info[key])
    if value then
      table.insert(lines, '  ' .. key .. ': [' .. value .. '],')
    end
  end
  table.insert(lines, ')')
  local call = table.concat(lines, '\n')
  if label then
    call = call .. ' <' .. label .. '>'
  end
  return pandoc.RawBlock('typst', call)
end

local function is_figure_para(block)
  return block.t == 'Para'
    and #block.content == 1
    and block.content[1].t == 'Image'
    and block.content[1].attributes[FIGURE_ATTR] ~= nil
end

--- The blocks one output stands for.
local function output_blocks(div)
  local blocks = pandoc.List()
  for _, block in ipairs(div.content) do
    if block.t == 'RawBlock' and block.format == 'markdown' then
      blocks:extend(pandoc.read(block.text, 'markdown').blocks)
    elseif block.t == 'RawBlock' and block.format == 'html' then
      blocks:extend(pandoc.read(block.text, 'html').blocks)
    elseif is_figure_para(block) then
      blocks:insert(figure_block(block.content[1]))
    else
      blocks:insert(block)
    end
  end
  return blocks
end

local function unwrap(div)
  if div.classes:includes('output') then
    return output_blocks(div)
  end
  if div.classes:includes('cell') and not div.classes:includes('markdown') then
    return div.content
  end
end

--- The notebook's own Markdown cells: `@fig-x` there refers to a chart. (Outputs are text from
--- the dataset, where an `@` is only an `@`.) Runs once every chart's label is known.
local function markdown_cell(div)
  if div.classes:includes('cell') and div.classes:includes('markdown') then
    return div:walk({ Str = resolve_at_label }).content
  end
end

-- Table shaping is a job of its own (tables.lua, beside this file).
local tables = dofile(pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), 'tables.lua' }))

--- A colour attribute as a Typst colour; anything but `#rrggbb` is black.
local function typst_colour(value)
  if type(value) ~= 'string' or not value:match('^#%x%x%x%x%x%x$') then
    value = '#000000'
  end
  return 'rgb("' .. value .. '")'
end

--- A div of ours as a call of report.typ around its blocks, which pandoc writes as usual:
--- a claim's card (report/cards.py, a `verdict-card` div) becomes `report-verdict-card` in its
--- colour (its heading keeps its label); the list of sources (content.corroboration_sources, a
--- `bibliography` div) becomes `report-bibliography`, set compactly.
-- Opens a kept head (typst_layout.lua passes one whole, as a single block).
local KEPT_HEAD = '#block(width: 100%, breakable: false, sticky: true)['

--- The head of a card or a thesis (its heading and the two blocks after it: badge and quote,
--- or quote and verdict) as one unbreakable block kept with what follows: never alone at a
--- page's foot, and a quote never parted from its verdict (Typst only).
local function kept_head(blocks)
  if FORMAT ~= 'typst' or blocks[1] == nil or blocks[1].t ~= 'Header' then
    return blocks
  end
  local out = pandoc.List({ pandoc.RawBlock('typst', KEPT_HEAD) })
  local n = math.min(3, #blocks)
  for i = 1, n do
    out:insert(blocks[i])
  end
  out:insert(pandoc.RawBlock('typst', ']'))
  for i = n + 1, #blocks do
    out:insert(blocks[i])
  end
  return out
end

local function report_div(div)
  local call
  if div.classes:includes('thesis') then
    return kept_head(div.content)
  elseif div.classes:includes('verdict-card') then
    call = '#report-verdict-card(' .. typst_colour(div.attributes.colour) .. ')['
  elseif div.classes:includes('bibliography') then
    call = '#report-bibliography['
  else
    return nil
  end
  local blocks = pandoc.List({ pandoc.RawBlock('typst', call) })
  blocks:extend(div.classes:includes('verdict-card') and kept_head(div.content) or div.content)
  blocks:insert(pandoc.RawBlock('typst', ']'))
  return blocks
end

--- A verdict's badge (a `verdict-badge` span): its word on its colour, `verdict-badge` of report.typ.
--- XML text content, escaped.
local function xml_text(s)
  return (s:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'))
end

--- A verdict's badge in Word: a run in the `VerdictLabel` character style (bold, from
--- reference_docx.py) in the verdict's colour, then a dash, so the label never runs into its
--- conclusion ("Nearly right — Wrong at the precision...").
local function docx_verdict_label(span)
  local colour = span.attributes.colour
  colour = type(colour) == 'string' and colour:match('^#(%x%x%x%x%x%x)$') or '000000'
  local run = '<w:r><w:rPr><w:rStyle w:val="VerdictLabel"/><w:color w:val="' .. colour:upper()
    .. '"/>' .. (rtl and '<w:rtl/>' or '') .. '</w:rPr><w:t xml:space="preserve">'
    .. xml_text(pandoc.utils.stringify(span.content)) .. '</w:t></w:r>'
  return pandoc.List({ pandoc.RawInline('openxml', run), pandoc.Str('\u{a0}\u{2014}') })
end

local function verdict_badge(span)
  if not span.classes:includes('verdict-badge') then
    return nil
  end
  if FORMAT == 'docx' then
    return docx_verdict_label(span)
  end
  local inlines = pandoc.List({
    pandoc.RawInline('typst', '#verdict-badge(' .. typst_colour(span.attributes.colour) .. ')['),
  })
  inlines:extend(span.content)
  inlines:insert(pandoc.RawInline('typst', ']'))
  return inlines
end

local function drop_empty_code(block)
  if block.text:match('^%s*$') then
    return {}
  end
end

--- Shift every heading up by the same amount so the highest one is level 1; the notebook's
--- sections are `##` under a `#` title that the title block shows instead.
local function shift_headings(doc)
  local top = math.huge
  doc:walk({ Header = function(h) top = math.min(top, h.level) end })
  if top == math.huge or top == 1 then
    return nil
  end
  return doc:walk({
    Header = function(h)
      h.level = h.level - (top - 1)
      return h
    end,
  })
end

local function read_meta(meta)
  if meta.figure then
    figure_word = pandoc.utils.stringify(meta.figure)
  end
  rtl = meta.dir ~= nil and pandoc.utils.stringify(meta.dir) == 'rtl'
  if meta['quote-open'] and meta['quote-close'] then
    quote_marks = { pandoc.utils.stringify(meta['quote-open']),
      pandoc.utils.stringify(meta['quote-close']) }
    meta['quote-open'], meta['quote-close'] = nil, nil -- read here, never written out
    return meta
  end
end

--- A web address in a right-to-left edition: a left-to-right box as wide as the line (but room
--- for the full stop after it), so a long
--- address wraps within itself instead of zigzagging across the right-to-left lines.
local function web_address(link)
  local text = pandoc.utils.stringify(link.content)
  if FORMAT ~= 'typst' or not rtl or not text:match('^https?://') then
    return nil
  end
  return pandoc.RawInline('typst', '#box(width: 100% - 0.6em, text(dir: ltr, link('
    .. typst_string(link.target) .. ', ' .. typst_string(text) .. ')))')
end

return {
  { Meta = read_meta },
  { Div = unwrap },
  { Table = tables.shape, CodeBlock = drop_empty_code, Cite = resolve_cite, Span = verdict_badge,
    Link = web_address },
  { Div = report_div },
  { Div = markdown_cell },
  { Str = smart_quotes },
  { Pandoc = shift_headings },
}
