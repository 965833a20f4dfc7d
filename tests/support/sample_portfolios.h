#pragma once
// Portfolios several suites build their monitors from (eval schema).

namespace mm::test {

/// A Binance cross account: a long and a short at a profit and a loss, and an isolated SOL long.
inline constexpr const char* kBinanceCrossAndIsolated = R"({"venue":"binance-usdm","label":"main","walletBalance":"40000","positions":[
    {"symbol":"BTCUSDT","side":"long","quantity":"2","entryPrice":"60000","markPrice":"61000","leverage":"20"},
    {"symbol":"ETHUSDT","side":"short","quantity":"30","entryPrice":"3000","markPrice":"3100"},
    {"symbol":"SOLUSDT","side":"long","quantity":"400","entryPrice":"150","markPrice":"140","maintenanceMarginRate":"0.01",
     "marginMode":"isolated","isolatedMargin":"9000"}]})";

/// An OKX account with one BTC short.
inline constexpr const char* kOkxShort = R"({"venue":"okx-swap","label":"okx","walletBalance":"5000","positions":[
    {"symbol":"BTC-USDT-SWAP","side":"short","quantity":"0.5","entryPrice":"60000","markPrice":"60000","maintenanceMarginRate":"0.004"}]})";

} // namespace mm::test
