--[[
typst_layout.lua: the PDF's page layout, run after notebook.lua (Typst only; Word flows its
figures in the text).

* Page filling: a chart in a section with text floats (the text flows on into the space a tall
  chart leaves; the notebook puts a section's words before its chart, so the chart floats after
  them, never into the middle of a paragraph); a chart-only section after a section with a chart
  floats with its heading, but is placed before the next section begins (sections keep their
  order on the page); other chart-only sections (the key figures after the summary) stay in the
  flow, after the text before them.
* Every pending floating chart is placed before a list (PDF/UA).
]]

local function is_chart(block)
  return block ~= nil and block.t == 'RawBlock' and block.format == 'typst'
    and block.text:match('^#report%-figure%(') ~= nil
end

--- The chart call with `placement: none`: it stays where its heading puts it.
local function unfloated(chart)
  local call = chart.text:gsub('\n%)', '\n  placement: none,\n)', 1)
  return pandoc.RawBlock('typst', call)
end

--- Lay the sections out for full pages (see the header comment). Sections are read at the top
--- heading level; charts in deeper sections just float.
local function place_charts(doc)
  local blocks = doc.blocks
  local starts = {}
  for i, block in ipairs(blocks) do
    if block.t == 'Header' and block.level == 1 then
      table.insert(starts, i)
    end
  end
  local sections = {}
  for n, first in ipairs(starts) do
    local last = (starts[n + 1] or (#blocks + 1)) - 1
    local has_chart = false
    for i = first + 1, last do
      has_chart = has_chart or is_chart(blocks[i])
    end
    sections[n] = {
      first = first,
      chart_only = last == first + 1 and is_chart(blocks[last]),
      text_only = not has_chart,
    }
  end
  local before = {} -- block index -> blocks to insert before it
  local skip = {}
  for n, section in ipairs(sections) do
    local previous = sections[n - 1]
    if section.chart_only then
      local heading = blocks[section.first]
      local chart = unfloated(blocks[section.first + 1])
      skip[section.first], skip[section.first + 1] = true, true
      local body = pandoc.write(pandoc.Pandoc({ heading }), 'typst') .. '\n' .. chart.text
      if previous and not previous.chart_only and not previous.text_only then
        before[section.first] = pandoc.RawBlock('typst', '#report-floating-section[\n' .. body .. '\n]')
        local following = sections[n + 1]
        if following then -- it floats within its place in the order, never past the next heading
          before[following.first] = pandoc.RawBlock('typst', '#place.flush()')
        end
      else
        before[section.first] = pandoc.Blocks({ heading, chart })
      end
    end
  end
  local out = pandoc.Blocks({})
  for i, block in ipairs(blocks) do
    if before[i] then
      out:extend(pandoc.Blocks(before[i]))
    end
    if not skip[i] then
      out:insert(block)
    end
  end
  doc.blocks = out
  return doc
end

--- Place every pending floating chart before a list: a chart that floats into a list's pages
--- is tagged inside the list, which PDF/UA rejects ("invalid list (L) structure", Typst 0.15).
local function flush_before_lists(doc)
  local out = pandoc.Blocks({})
  for _, block in ipairs(doc.blocks) do
    if block.t == 'OrderedList' or block.t == 'BulletList' then
      out:insert(pandoc.RawBlock('typst', '#place.flush()'))
    end
    out:insert(block)
  end
  doc.blocks = out
  return doc
end

return {
  { Pandoc = place_charts },
  { Pandoc = flush_before_lists },
}
