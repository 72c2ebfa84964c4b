--[[
tables.lua: a pandas table as a report's table (loaded by notebook.lua, for Typst and Word).

* pandas' default 0, 1, 2 index (an unlabelled first column) is dropped;
* columns whose body cells are all numbers are right-aligned, the others left-aligned;
* a table whose texts would not fit side by side gets column widths from its contents (Typst
  alone would give every overflowing column the same width).
]]

local NUMBER = '^[%+%-]?[%d%s,%.]*%d%%?$'

local LINE_CHARS = 120 -- about a line of 8.5 pt type on the text width
local CELL_PADDING = 2 -- characters, for the cell insets
local MAX_WANTED = 40 -- characters: longer texts wrap

local function text_length(text)
  return utf8.len(text) or #text
end

--- Relative widths for a table whose texts would not fit side by side, else nil (auto).
--- Each column gets at least its longest word, then a share of the rest after its longest
--- text; Typst alone would give every overflowing column the same width.
local function column_widths(tbl)
  local word, whole = {}, {}
  local rows = pandoc.List()
  for _, row in ipairs(tbl.head.rows) do
    rows:insert(row)
  end
  for _, body in ipairs(tbl.bodies) do
    rows:extend(body.body)
  end
  for _, row in ipairs(rows) do
    for i, cell in ipairs(row.cells) do
      if cell.col_span ~= 1 then
        return nil
      end
      local text = pandoc.utils.stringify(cell.contents)
      whole[i] = math.max(whole[i] or 1, text_length(text))
      for piece in text:gmatch('%S+') do
        word[i] = math.max(word[i] or 1, text_length(piece))
      end
    end
  end
  local n = #tbl.colspecs
  local base, wanted = {}, {}
  local base_total, wanted_total = 0, 0
  for i = 1, n do
    base[i] = (word[i] or 1) + CELL_PADDING
    wanted[i] = math.max(base[i], math.min(whole[i] or 1, MAX_WANTED) + CELL_PADDING)
    base_total = base_total + base[i]
    wanted_total = wanted_total + (whole[i] or 1) + CELL_PADDING
  end
  if wanted_total <= LINE_CHARS then
    return nil
  end
  local extra = 0
  for i = 1, n do
    extra = extra + wanted[i] - base[i]
  end
  local fill = extra > 0 and math.max(0, math.min(1, (LINE_CHARS - base_total) / extra)) or 0
  local widths, sum = {}, 0
  for i = 1, n do
    widths[i] = base[i] + (wanted[i] - base[i]) * fill
    sum = sum + widths[i]
  end
  for i = 1, n do
    widths[i] = widths[i] / sum
  end
  return widths
end

--- Right-align the columns whose body cells are all numbers (or empty), left-align the others.
local function align_numbers(tbl)
  local numeric = {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for i, cell in ipairs(row.cells) do
        local text = pandoc.utils.stringify(cell.contents)
        if text ~= '' and numeric[i] ~= false then
          numeric[i] = text:match(NUMBER) ~= nil
        end
      end
    end
  end
  -- pandoc's equal shares squeeze long text: Typst sizes narrow tables to their content,
  -- wide ones get shares from their longest texts.
  local widths = column_widths(tbl)
  for i, colspec in ipairs(tbl.colspecs) do
    local align = colspec[1]
    if align == 'AlignDefault' then
      -- Explicit: pandoc's `auto` would inherit the figure's centring.
      align = numeric[i] and 'AlignRight' or 'AlignLeft'
    end
    tbl.colspecs[i] = { align, widths and widths[i] or nil }
  end
  return tbl
end

local function first_cell_text(row)
  local cell = row.cells[1]
  if cell == nil or cell.col_span ~= 1 then
    return nil
  end
  return pandoc.utils.stringify(cell.contents)
end

--- Drop pandas' default index (an unlabelled first column 0, 1, 2, ...): noise in a report.
local function drop_range_index(tbl)
  for _, row in ipairs(tbl.head.rows) do
    if first_cell_text(row) ~= '' then
      return nil
    end
  end
  local expected = 0
  for _, body in ipairs(tbl.bodies) do
    if #body.head > 0 then
      return nil
    end
    for _, row in ipairs(body.body) do
      if first_cell_text(row) ~= tostring(expected) then
        return nil
      end
      expected = expected + 1
    end
  end
  if expected == 0 or #tbl.colspecs < 2 then
    return nil
  end
  for _, row in ipairs(tbl.head.rows) do
    row.cells:remove(1)
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      row.cells:remove(1)
    end
    body.row_head_columns = math.max(0, body.row_head_columns - 1)
  end
  tbl.colspecs:remove(1)
  return tbl
end

--- The table shaped: index dropped, columns aligned and sized.
local function shape_table(tbl)
  return align_numbers(drop_range_index(tbl) or tbl)
end

return { shape = shape_table }
