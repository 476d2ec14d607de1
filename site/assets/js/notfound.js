// 404 page: only the shared header (mode badge, who pays).
import "./app.js";
