// Loads every natives module: each registers its platform classes on import. The runtime imports
// this file once before running Apex.
import './strings';
import './numbers';
import './dates';
import './collections';
import './json';
import './regex';
import './blob';
import './assert';
import './xml';
// Modules owned by other layers; the lead enables them as they land:
// import './core';
// import '../org/natives';
// import '../harness/natives';
