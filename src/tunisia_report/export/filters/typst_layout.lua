--[[
typst_layout.lua: the PDF's page layout, run after notebook.lua (Typst only; Word flows its
figures in the text).

Nothing floats, so no chart cuts a paragraph. A run of charts (one, or several in a row) gets
slots: where the notebook puts it, and after each of the next few text blocks (never between
a heading, a thesis's head or a table's caption and what it heads; never past a claim's card
or another chart); each chart of the run appears at the first slot
where it fits the rest of the page (report.typ's `report-figure-slot`, which shrinks it a little
if need be), in order, else at the last. So a chart too tall for the rest of a page lets the
paragraphs after it fill the page, instead of leaving it blank.
A caption set as its own emphasised paragraph just before a table, and a paragraph ending in a
colon just before a list, are kept with what they head.
]]

local MAX_SLOTS = 8 -- places after the notebook's own: a chart moves at most this many blocks on

local function is_chart(block)
  return block ~= nil and block.t == 'RawBlock' and block.format == 'typst'
    and block.text:match('^#report%-figure%(') ~= nil
end

--- A paragraph that heads the block after it: only emphasis before a table (the table's
--- caption), or ending in a colon before a list ("Published for one year:").
local function is_table_caption(blocks, i)
  local block, after = blocks[i], blocks[i + 1]
  if block == nil or block.t ~= 'Para' or after == nil then
    return false
  end
  if after.t == 'Table' then
    return #block.content == 1 and block.content[1].t == 'Emph'
  end
  return (after.t == 'BulletList' or after.t == 'OrderedList')
    and pandoc.utils.stringify(block):match(':%s*$') ~= nil
end

-- What a chart may move past: text blocks, and a section's heading (a chart that ends its
-- section may stand after the next one's first paragraph, as a float would, rather than leave
-- the page before it blank; in a run of several, the first stays in its section: the slots
-- past a heading are `late`, see typst_pdf.plan_charts).
local PASSABLE = { Para = true, Plain = true, BulletList = true, OrderedList = true,
  BlockQuote = true, Table = true, DefinitionList = true, Header = true }

--- The opening of a card's or thesis's kept head (notebook.lua's KEPT_HEAD).
local function is_kept_head(block)
  return block.t == 'RawBlock' and block.format == 'typst'
    and block.text == '#block(width: 100%, breakable: false, sticky: true)['
end

local charts = 0

--- The chart call split into its arguments and its label ("<fig-x>" or "").
local function parts(chart)
  local text = chart.text:gsub('%s+$', '')
  local label = text:match('%s(<[%w%-_%.:]+>)$') or ''
  if label ~= '' then
    text = text:sub(1, #text - #label):gsub('%s+$', '')
  end
  return text:match('^#report%-figure%((.*)%)$'), label
end

--- The blocks for a run of charts and the blocks after it, with the charts' slots.
local function slotted(run, following, passable_count, headed)
  local defs, group = {}, {}
  for m, chart in ipairs(run) do
    charts = charts + 1
    local args, label = parts(chart)
    local name = 'chart-args-' .. charts
    defs[m] = { name = name, label = label, id = charts }
    table.insert(group, '(' .. charts .. ', ' .. name .. ')')
  end
  local group_text = '(' .. table.concat(group, ', ') .. ',)'
  local slots = passable_count + 1
  local function slot(k, late)
    local out = {}
    for m, def in ipairs(defs) do
      table.insert(out, string.format(
        '#report-figure-slot(%s, %d, %d, slots: %d, late: %s, sticky: %s)[#report-figure(..%s, id: %d) %s]',
        group_text, m - 1, k, slots, late and 'true' or 'false', headed and 'true' or 'false',
        def.name, def.id, def.label))
    end
    return pandoc.RawBlock('typst', table.concat(out, '\n'))
  end
  local out = pandoc.Blocks({})
  for m, chart in ipairs(run) do
    local args = parts(chart)
    out:insert(pandoc.RawBlock('typst', '#let ' .. defs[m].name .. ' = arguments(' .. args .. ')'))
  end
  out:insert(slot(0, false))
  local k = 0
  for _, item in ipairs(following) do
    out:insert(item.block)
    if item.slot then
      k = k + 1
      out:insert(slot(k, item.late))
    end
  end
  return out
end

--- Every run of charts with its slots (see the header comment).
local function place_charts(doc)
  local blocks, out, i = doc.blocks, pandoc.Blocks({}), 1
  while i <= #blocks do
    if not is_chart(blocks[i]) then
      out:insert(blocks[i])
      i = i + 1
    else
      local run = {}
      while is_chart(blocks[i]) do
        table.insert(run, blocks[i])
        i = i + 1
      end
      local following, passable, past_heading = {}, 0, false
      -- a run right under its heading stays there, held to it (the heading keeps with the
      -- run's first marker, which keeps with the chart)
      local headed = out[#out] ~= nil and out[#out].t == 'Header'
      while not headed and blocks[i] ~= nil and passable < MAX_SLOTS do
        if is_kept_head(blocks[i]) then -- a thesis's head, whole; no slot right after it
          repeat
            table.insert(following, { block = blocks[i], slot = false })
            i = i + 1
          until blocks[i - 1].t == 'RawBlock' and blocks[i - 1].text == ']' or blocks[i] == nil
        elseif PASSABLE[blocks[i].t] then
          -- never between a heading or a table's caption and what it heads
          local slot = blocks[i].t ~= 'Header' and not is_table_caption(blocks, i)
          past_heading = past_heading or blocks[i].t == 'Header'
          table.insert(following, { block = blocks[i], slot = slot, late = past_heading })
          passable = passable + (slot and 1 or 0)
          i = i + 1
        else
          break
        end
      end
      out:extend(slotted(run, following, passable, headed))
    end
  end
  doc.blocks = out
  return doc
end

--- Keep a table's caption, or a list's lead-in, on the page where what it heads starts.
local function captions_with_tables(doc)
  local out = pandoc.Blocks({})
  for i, block in ipairs(doc.blocks) do
    if is_table_caption(doc.blocks, i) then
      out:insert(pandoc.RawBlock('typst', '#block(width: 100%, sticky: true)['))
      out:insert(block)
      out:insert(pandoc.RawBlock('typst', ']'))
    else
      out:insert(block)
    end
  end
  doc.blocks = out
  return doc
end

return {
  { Pandoc = place_charts }, -- first: a caption's sticky block is raw Typst, which stops a run
  { Pandoc = captions_with_tables },
}
