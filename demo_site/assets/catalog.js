// The demo shop's products. Categories double as the visitor's interests (journey.interests).
export const categories = [
  { id: 'espresso', name: 'Espresso' },
  { id: 'filter', name: 'Filter' },
  { id: 'decaf', name: 'Decaf' },
  { id: 'gear', name: 'Gear' },
];

export const products = [
  { sku: 'hamburg-espresso', name: 'Hamburg Espresso', category: 'espresso', price: 12.9, color: '#6b3e26', notes: 'Dark chocolate, hazelnut, a long sweet finish.' },
  { sku: 'crema-forte', name: 'Crema Forte', category: 'espresso', price: 13.5, color: '#7d2f1d', notes: 'Thick crema, cocoa and molasses, made for milk.' },
  { sku: 'ethiopia-guji', name: 'Ethiopia Guji', category: 'filter', price: 14.2, color: '#b0663a', notes: 'Jasmine, peach and bergamot. A bright cup.' },
  { sku: 'colombia-huila', name: 'Colombia Huila', category: 'filter', price: 13.2, color: '#8f5a2b', notes: 'Red apple, caramel, milk chocolate.' },
  { sku: 'night-owl', name: 'Night Owl Decaf', category: 'decaf', price: 12.4, color: '#3f4d5c', notes: 'Swiss-water decaf with toffee and plum.' },
  { sku: 'hand-grinder', name: 'Hand Grinder', category: 'gear', price: 49, color: '#5a5a5a', notes: 'Steel burrs, 40 clicks from espresso to French press.' },
  { sku: 'pour-over-kit', name: 'Pour-over Kit', category: 'gear', price: 29, color: '#2f6b5a', notes: 'Dripper, 100 filters and a recipe card.' },
];

export const productBySku = (sku) => products.find((p) => p.sku === sku) || null;
export const categoryName = (id) => (categories.find((c) => c.id === id) || { name: id }).name;
export const price = (n) => '€' + n.toFixed(2);
