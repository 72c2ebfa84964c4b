--[[
origins.lua: keep in the Word report where each paragraph comes from (see
tunisia_report/export/docx_origins.py). Runs before notebook.lua, which unwraps the cells:
each Markdown cell's content goes into a Div of its own, named by the cell's id, which pandoc's
Word writer turns into a bookmark around the cell's paragraphs. The name is Word's kind
(letters, digits, underscores, a letter first, at most 40 characters): "c_", the id made so
(28 characters at most), "_" and the first 6 hex digits of the id's SHA-1.
]]

local function bookmark_name(id)
  return 'c_' .. id:gsub('[^A-Za-z0-9_]', '_'):sub(1, 28) .. '_' .. pandoc.utils.sha1(id):sub(1, 6)
end

function Div(div)
  if div.identifier ~= '' and div.classes:includes('cell') and div.classes:includes('markdown') then
    div.content = { pandoc.Div(div.content, pandoc.Attr(bookmark_name(div.identifier))) }
    return div
  end
end
