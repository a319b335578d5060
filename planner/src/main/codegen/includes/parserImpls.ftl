<#-- NQL statement productions, merged into Calcite's Parser.jj by FMPP. -->
